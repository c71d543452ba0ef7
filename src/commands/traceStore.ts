// The latest trace of each script, shared by the views that show it in the editor (lenses,
// diagnostics, hovers) and the commands that open timelines. One place, so every view agrees.
import * as vscode from "vscode";
import type { RunStatus } from "../protocol";
import type { TraceModel } from "../trace/types";

export interface TraceResult {
  /** The traced script, as a file system path. */
  script: string;
  model: TraceModel;
  /** The raw trace file (kept so a timeline can be reopened after a reload). */
  tracePath: string;
  status: RunStatus;
}

export function pathKey(path: string): string {
  return vscode.Uri.file(path).fsPath;
}

export class TraceStore implements vscode.Disposable {
  private readonly results = new Map<string, TraceResult>();
  private last: TraceResult | undefined;
  private readonly changed = new vscode.EventEmitter<TraceResult>();
  /** Fired when a run finishes (or a saved trace is opened): views refresh. */
  readonly onDidChange = this.changed.event;

  set(result: TraceResult): void {
    this.results.set(pathKey(result.script), result);
    this.last = result;
    this.changed.fire(result);
  }

  /** The latest result of a script, or undefined if it was never traced in this session. */
  forScript(path: string): TraceResult | undefined {
    return this.results.get(pathKey(path));
  }

  latest(): TraceResult | undefined {
    return this.last;
  }

  all(): TraceResult[] {
    return [...this.results.values()];
  }

  dispose(): void {
    this.changed.dispose();
  }
}
