// Restores timeline panels after a window reload: the webview persisted its title and trace path,
// and the extension supplies how to turn a trace file back into a model.
import * as vscode from "vscode";
import { asPersistedState } from "../protocol";
import type { TraceModel } from "../trace/types";
import { recallTrace, usePanelMemory } from "./panelMemory";
import { TIMELINE_VIEW_TYPE, TimelinePanel } from "./timelinePanel";

export type TraceLoader = (tracePath: string) => Promise<TraceModel>;

export function registerTimelineSerializer(
  context: vscode.ExtensionContext,
  loadTrace: TraceLoader,
  onRestored?: (panel: TimelinePanel) => void,
): vscode.Disposable {
  usePanelMemory(context.workspaceState);
  const registration = vscode.window.registerWebviewPanelSerializer(TIMELINE_VIEW_TYPE, {
    async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, raw: unknown): Promise<void> {
      const saved = asPersistedState(raw);
      const title = saved?.title ?? webviewPanel.title;
      const state = { title, tracePath: saved?.tracePath ?? recallTrace(title) };
      const panel = TimelinePanel.revive(webviewPanel, context.extensionUri, state);
      onRestored?.(panel);
      if (!state.tracePath) {
        panel.setStatus({ state: "failed", message: "This timeline was not saved to a trace file; run the script again." });
        return;
      }
      try {
        panel.update(await loadTrace(state.tracePath), { state: "done" });
      } catch (e) {
        panel.setStatus({ state: "failed", message: `Could not reload ${state.tracePath}: ${(e as Error).message}` });
      }
    },
  });
  context.subscriptions.push(registration);
  return registration;
}
