// Code lenses on every place a thread or process starts and on the body it runs. Before a run they
// offer "Trace threads"; after one they show that target's figures and open its threads' timeline.
// The places come from targets.py (Python's own ast) with the user's interpreter, once per version.
import { join } from "node:path";
import * as vscode from "vscode";
import { findInterpreter, InterpreterError } from "../commands/interpreter";
import type { TraceStore } from "../commands/traceStore";
import { tracerDir } from "../run/tracerPath";
import { lensTarget, NO_INTERPRETER, threadedImportLine } from "./lensText";
import { scanThreadTargets, TargetScanCache, type TargetScan } from "./threadTargets";

export const TRACE_FILE_COMMAND = "gilTimeline.traceFile";
export const SHOW_TIMELINE_COMMAND = "gilTimeline.showTimeline";

/** The argument of gilTimeline.showTimeline from a lens: the script and the threads to show. */
export interface ShowTimelineArgs {
  script: string;
  threads: string[];
  title: string;
}

export class ThreadTargetLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly cache = new TargetScanCache();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly store: TraceStore, private readonly log: (line: string) => void) {
    this.disposables.push(
      this.changed,
      store.onDidChange(() => this.changed.fire()),
      vscode.workspace.onDidCloseTextDocument((d) => this.cache.forget(d.uri.toString())),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration("gilTimeline") || e.affectsConfiguration("python")) this.changed.fire();
      }),
    );
  }

  /** The scan of a document (cached per version); also used by tests through the command API. */
  scan(doc: vscode.TextDocument): Promise<TargetScan> {
    return this.cache.get(doc.uri.toString(), doc.version, async () => {
      const python = await findInterpreter(doc.uri);
      return scanThreadTargets({
        python: python.executable,
        targetsScript: join(tracerDir(), "targets.py"),
        file: doc.uri.fsPath,
        source: doc.getText(),
      });
    });
  }

  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    if (!vscode.workspace.isTrusted || doc.uri.scheme !== "file") return [];
    let scan: TargetScan;
    try {
      scan = await this.scan(doc);
    } catch (e) {
      this.log(`[lenses] ${doc.uri.fsPath}: ${(e as Error).message}`);
      return e instanceof InterpreterError ? interpreterProblemLens(doc, e) : [];
    }
    const script = doc.uri.fsPath;
    const result = this.store.forScript(script);
    return scan.sites.map((site) => {
      const range = new vscode.Range(site.line - 1, site.column, site.line - 1, site.column);
      const { title, threads } = lensTarget(site, script, result?.model ?? null);
      const command: vscode.Command = threads
        ? {
            title,
            command: SHOW_TIMELINE_COMMAND,
            arguments: [{ script, threads, title: `GIL Timeline: ${site.function ?? site.name ?? "threads"}` } satisfies ShowTimelineArgs],
            tooltip: "Open the timeline of these threads",
          }
        : { title, command: TRACE_FILE_COMMAND, arguments: [doc.uri], tooltip: "Run this file under the GIL Timeline tracer" };
      return new vscode.CodeLens(range, command);
    });
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** On a threaded file, one lens that says why there are no others; its click runs the trace command,
 *  which reports the problem with its way out (Select Interpreter / Set Python Path). */
function interpreterProblemLens(doc: vscode.TextDocument, error: InterpreterError): vscode.CodeLens[] {
  const line = threadedImportLine(doc.getText());
  if (line < 0) return [];
  return [
    new vscode.CodeLens(new vscode.Range(line, 0, line, 0), {
      title: NO_INTERPRETER,
      command: TRACE_FILE_COMMAND,
      arguments: [doc.uri],
      tooltip: error.message,
    }),
  ];
}
