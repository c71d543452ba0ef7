// Which trace each timeline panel shows, kept in the workspace state as well as in the webview's
// own state: a browser reload (code-server) can save the editor layout before the webview's
// setState arrives, and then the restored panel would not know its trace.
import type * as vscode from "vscode";

const KEY = "gilTimeline.panelTraces";
/** Enough for the panels anyone keeps open; older entries are dropped first. */
const MAX_ENTRIES = 50;

let memento: vscode.Memento | null = null;

export function usePanelMemory(workspaceState: vscode.Memento): void {
  memento = workspaceState;
}

export function rememberTrace(title: string, tracePath: string): void {
  if (!memento) return;
  const entries = Object.entries(memento.get<Record<string, string>>(KEY, {})).filter(([t]) => t !== title);
  entries.push([title, tracePath]);
  void memento.update(KEY, Object.fromEntries(entries.slice(-MAX_ENTRIES)));
}

export function recallTrace(title: string): string | null {
  return memento?.get<Record<string, string>>(KEY, {})[title] ?? null;
}
