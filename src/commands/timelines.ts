// The open timeline panels: one per traced script (a re-run updates it in place), plus filtered
// ones opened from a thread-target lens. Editor selections highlight their line in the timelines
// of that file.
import { basename } from "node:path";
import * as vscode from "vscode";
import type { RunStatus } from "../protocol";
import { TimelinePanel, type TimelinePanelOptions } from "../panel/timelinePanel";
import type { TraceModel } from "../trace/types";
import { pathKey, type TraceResult } from "./traceStore";

export class Timelines implements vscode.Disposable {
  /** Unfiltered panel per script (pathKey). */
  private readonly byScript = new Map<string, TimelinePanel>();
  private readonly open = new Set<TimelinePanel>();
  /** The panel given a model last: what "export" means when no timeline is the active tab. */
  private lastShown: TimelinePanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly extensionUri: vscode.Uri) {
    this.disposables.push(
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (e.textEditor.document.languageId !== "python") return;
        const line = e.selections[0].active.line + 1;
        for (const panel of this.open) panel.highlightLine(e.textEditor.document.uri.fsPath, line);
      }),
    );
  }

  /** The script's panel, created (beside the editor) when it has none. */
  forScript(script: string, tracePath: string): TimelinePanel {
    const key = pathKey(script);
    const existing = this.byScript.get(key);
    if (existing) return existing;
    return this.ownPanel(key, this.track(TimelinePanel.show(this.extensionUri, `GIL Timeline: ${basename(script)}`, { tracePath, script })));
  }

  private ownPanel(key: string, panel: TimelinePanel): TimelinePanel {
    this.byScript.set(key, panel);
    panel.onDidDispose(() => {
      if (this.byScript.get(key) === panel) this.byScript.delete(key);
    });
    return panel;
  }

  /** A new panel for a result, e.g. filtered to the threads of one target. */
  show(result: TraceResult, title: string, opts: TimelinePanelOptions = {}): TimelinePanel {
    const panel = this.track(TimelinePanel.show(this.extensionUri, title, { tracePath: result.tracePath, ...opts }));
    panel.update(result.model, result.status);
    this.lastShown = panel;
    return panel;
  }

  /** Keep the active timeline tab (else the active editor's script's panel) beside the next run; false when there is none. */
  keep(activeScript: string | undefined): boolean {
    const active = [...this.open].find((p) => p.active && p.script !== null);
    const panel = active ?? (activeScript === undefined ? undefined : this.byScript.get(pathKey(activeScript)));
    if (!panel || panel.script === null) return false;
    const key = pathKey(panel.script);
    if (this.byScript.get(key) === panel) this.byScript.delete(key);
    panel.keep();
    return true;
  }

  /** Adopt a panel VS Code restored after a reload: it gets editor highlights, and a script's panel its re-runs. */
  adopt(panel: TimelinePanel): void {
    this.track(panel);
    const key = panel.script === null ? undefined : pathKey(panel.script);
    if (key !== undefined && !this.byScript.has(key)) this.ownPanel(key, panel);
  }

  update(script: string, tracePath: string, model: TraceModel, status: RunStatus): void {
    const panel = this.forScript(script, tracePath);
    panel.showTrace(tracePath); // a re-run reuses the panel: a reload must restore this run, not the first
    panel.update(model, status);
    this.lastShown = panel;
  }

  /** The trace of the active timeline tab, else of the panel given a model last. */
  current(): TimelinePanel["trace"] {
    const active = [...this.open].find((p) => p.active && p.trace);
    const last = this.lastShown && this.open.has(this.lastShown) ? this.lastShown : undefined;
    return (active ?? last)?.trace ?? null;
  }

  /** Bring a script's timeline to the front; false when it has none open. */
  reveal(script: string): boolean {
    const panel = this.byScript.get(pathKey(script));
    panel?.reveal();
    return panel !== undefined;
  }

  private track(panel: TimelinePanel): TimelinePanel {
    this.open.add(panel);
    panel.onDidDispose(() => this.open.delete(panel));
    return panel;
  }

  dispose(): void {
    for (const p of [...this.open]) p.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
