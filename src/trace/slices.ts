// Per-thread slice figures shared by the summary (CLI --json, readable summary) and the webview.
// Pure: no vscode import, no model import, so the webview bundle can use it.

/** Mean length of a thread's GIL slices (uninterrupted running intervals), ms; null with no slice. */
export function meanSliceMs(runningMs: number, slices: number): number | null {
  return slices > 0 ? runningMs / slices : null;
}
