// Restores GIL Timeline panels after a window reload: the webview persisted what it showed
// (PersistedState: a timeline's trace file and lens filter, a comparison's runs), the host kept a
// copy (panelMemory), and the extension supplies how to turn a trace file back into a model.
import * as vscode from "vscode";
import { asPersistedState } from "../protocol";
import type { TraceModel } from "../trace/types";
import { ComparePanel, COMPARE_VIEW_TYPE } from "./comparePanel";
import { buildCompareView, restoredCompareInput } from "./compareView";
import { restoredState, usePanelMemory } from "./panelMemory";
import { TIMELINE_VIEW_TYPE, TimelinePanel } from "./timelinePanel";

export type TraceLoader = (tracePath: string) => Promise<TraceModel>;

export function registerTimelineSerializer(
  context: vscode.ExtensionContext,
  loadTrace: TraceLoader,
  onRestored?: (panel: TimelinePanel) => void,
  /** A restored timeline's trace is loaded (the editor's views of its script can use it again). */
  onLoaded?: (panel: TimelinePanel, model: TraceModel, tracePath: string) => void,
): vscode.Disposable {
  usePanelMemory(context.workspaceState);
  const timelines = vscode.window.registerWebviewPanelSerializer(TIMELINE_VIEW_TYPE, {
    async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, raw: unknown): Promise<void> {
      const restored = restoredState("timeline", webviewPanel.title, asPersistedState(raw));
      const state = restored?.kind === "timeline"
        ? restored
        : { kind: "timeline" as const, id: "", title: webviewPanel.title, tracePath: null, filterThreads: null, script: null };
      const panel = TimelinePanel.revive(webviewPanel, context.extensionUri, state);
      onRestored?.(panel);
      if (!state.tracePath) {
        panel.setStatus({ state: "failed", message: "This timeline was not saved to a trace file; run the script again." });
        return;
      }
      try {
        const model = await loadTrace(state.tracePath);
        panel.update(model, { state: "done" });
        onLoaded?.(panel, model, state.tracePath);
      } catch (e) {
        panel.setStatus({ state: "failed", message: `Could not reload ${state.tracePath}: ${(e as Error).message}` });
      }
    },
  });
  const compares = vscode.window.registerWebviewPanelSerializer(COMPARE_VIEW_TYPE, {
    async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, raw: unknown): Promise<void> {
      const state = restoredState("compare", webviewPanel.title, asPersistedState(raw));
      const panel = ComparePanel.revive(webviewPanel, context.extensionUri, state?.title ?? webviewPanel.title, state?.id ?? "");
      if (state?.kind !== "compare") {
        panel.setStatus({ state: "failed", message: "This comparison had not finished before the reload; run Compare Runs again." });
        return;
      }
      panel.setStatus({ state: "running", message: `reloading the traces of ${state.runs.length} runs` });
      try {
        const inputs = await Promise.all(state.runs.map(async (run) => restoredCompareInput(run, await loadTrace(run.tracePath))));
        panel.showComparison(buildCompareView(state.title, inputs), state.runs);
      } catch (e) {
        panel.setStatus({ state: "failed", message: `Could not reload the compared runs: ${(e as Error).message}` });
      }
    },
  });
  const registration = vscode.Disposable.from(timelines, compares);
  context.subscriptions.push(registration);
  return registration;
}
