// One traced run from the editor: checks (trust, file, interpreter), the child process through
// src/run's runTracer, live output and timeline, progress with Cancel, the timeout, and the result
// handed to the TraceStore for lenses and diagnostics.
import { mkdirSync } from "node:fs";
import { basename, dirname, isAbsolute, join } from "node:path";
import * as vscode from "vscode";
import { isPython, saveDirtyPython, unsavedMessage } from "./saveBeforeRun";
import { OutputText } from "../run/outputText";
import { runTracer } from "../run/runTracer";
import type { TraceModel } from "../trace/types";
import { findInterpreter, InterpreterError, reportInterpreterError } from "./interpreter";
import { openTerminalOutput, type OutputChannelSink, type RunOutput } from "./runOutput";
import { runStatus } from "./runStatus";
import type { Timelines } from "./timelines";
import type { TraceStore, TraceResult } from "./traceStore";
import { requireTrust } from "./trust";

export const RUNNING_CONTEXT = "gilTimeline.running";
const LIVE_UPDATE_MS = 1000;

interface RunSettings {
  timeoutS: number;
  switchInterval: number | undefined;
  scope: string[];
  races: boolean;
  /** 0: no event limit. */
  maxEvents: number;
  output: "outputChannel" | "terminal";
}

function settings(resource: vscode.Uri): RunSettings {
  const c = vscode.workspace.getConfiguration("gilTimeline", resource);
  const folder = vscode.workspace.getWorkspaceFolder(resource)?.uri.fsPath;
  const switchInterval = c.get<number | null>("switchInterval", null);
  return {
    timeoutS: Math.max(0, c.get<number>("timeoutSeconds", 60)),
    switchInterval: switchInterval && switchInterval > 0 ? switchInterval : undefined,
    // Relative folders are the workspace's, not the script's (the run's cwd).
    scope: c.get<string[]>("traceScope", []).map((p) => (isAbsolute(p) || !folder ? p : join(folder, p))),
    races: c.get<boolean>("races", true),
    maxEvents: Math.max(0, Math.floor(c.get<number>("maxEvents", 0))),
    output: c.get<string>("output", "outputChannel") === "terminal" ? "terminal" : "outputChannel",
  };
}

export class TraceRunner implements vscode.Disposable {
  private current: AbortController | undefined;
  private currentRun: Promise<TraceResult | undefined> | undefined;

  constructor(
    private readonly storage: vscode.Uri,
    private readonly store: TraceStore,
    private readonly channel: OutputChannelSink,
    private readonly timelines: Timelines,
  ) {}

  get running(): boolean {
    return this.current !== undefined;
  }

  /** Stops the run in progress (the whole process tree); its partial trace is still shown. */
  async stop(): Promise<void> {
    this.current?.abort();
    await this.currentRun;
  }

  /** Traces a Python file; resolves to the result, or undefined when it did not run. */
  async trace(uri: vscode.Uri, args: string[] = []): Promise<TraceResult | undefined> {
    if (!(await requireTrust())) return undefined;
    if (this.running) await this.stop(); // one run at a time: the newest request wins
    const doc = await vscode.workspace.openTextDocument(uri);
    if (!isPython(doc)) {
      void vscode.window.showErrorMessage(`GIL Timeline traces Python files; ${basename(uri.fsPath)} is not one.`);
      return undefined;
    }
    const unsaved = await saveDirtyPython();
    if (unsaved.length > 0) {
      void vscode.window.showErrorMessage(unsavedMessage(unsaved));
      return undefined;
    }
    let python: string;
    try {
      python = (await findInterpreter(uri)).executable;
    } catch (e) {
      if (e instanceof InterpreterError) void reportInterpreterError(e);
      else void vscode.window.showErrorMessage(`GIL Timeline: ${(e as Error).message}`);
      return undefined;
    }
    const controller = new AbortController();
    this.current = controller;
    void vscode.commands.executeCommand("setContext", RUNNING_CONTEXT, true);
    this.currentRun = this.run(uri.fsPath, python, args, settings(uri), controller).finally(() => {
      this.current = undefined;
      void vscode.commands.executeCommand("setContext", RUNNING_CONTEXT, false);
    });
    return this.currentRun;
  }

  private tracePath(script: string): string {
    const dir = join(this.storage.fsPath, "traces");
    mkdirSync(dir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    return join(dir, `${basename(script, ".py")}-${stamp}.trace`);
  }

  private async run(script: string, python: string, args: string[], s: RunSettings, controller: AbortController): Promise<TraceResult | undefined> {
    const out = this.tracePath(script);
    const output: RunOutput = s.output === "terminal" ? openTerminalOutput(`GIL Timeline: ${basename(script)}`) : this.channel.open();
    output.write(`\n▶ ${python} ${[basename(script), ...args].join(" ")}   (trace: ${out})\n`);
    this.timelines.update(script, out, emptyModel(), { state: "running", message: "Starting…" });
    let lastLive = 0;
    const [stdoutText, stderrText] = [new OutputText(), new OutputText()];
    const title = `GIL Timeline: tracing ${basename(script)}`;
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title, cancellable: true },
        (progress, token) => {
          token.onCancellationRequested(() => controller.abort());
          return runTracer({
            python, script, args, cwd: dirname(script), out,
            switchInterval: s.switchInterval,
            races: s.races ? undefined : false, // on is the tracer's default
            maxEvents: s.maxEvents,
            scope: s.scope.length > 0 ? s.scope : undefined,
            timeoutS: s.timeoutS > 0 ? s.timeoutS : undefined,
            stdin: output.stdin,
            signal: controller.signal,
            onStdout: (d) => output.write(stdoutText.write(d)),
            onStderr: (d) => output.write(stderrText.write(d)),
            onProgress: ({ events, liveModel }) => {
              progress.report({ message: `${events.toLocaleString("en-US")} events` });
              const now = Date.now();
              if (now - lastLive < LIVE_UPDATE_MS) return;
              lastLive = now;
              this.timelines.update(script, out, liveModel(), { state: "running" });
            },
          });
        },
      );
      const status = runStatus(result, result.model, s);
      output.write(stdoutText.end() + stderrText.end());
      output.write(`■ ${status.state}${status.message ? `: ${status.message}` : ""} (exit code ${result.exitCode ?? "none"})\n`);
      const traced: TraceResult = { script, model: result.model, tracePath: out, status };
      this.timelines.update(script, out, result.model, status);
      this.store.set(traced);
      this.announce(traced);
      return traced;
    } catch (e) {
      const message = `GIL Timeline could not run ${basename(script)}: ${(e as Error).message}`;
      output.write(`■ ${message}\n`);
      this.timelines.update(script, out, emptyModel(), { state: "failed", message });
      void vscode.window.showErrorMessage(message);
      return undefined;
    } finally {
      output.end();
    }
  }

  /** Tells the user how the run ended when it needs attention (errors, stops, races). */
  private announce(r: TraceResult): void {
    const { status, model } = r;
    const name = basename(r.script);
    if (status.state === "failed") {
      const error = model.processes[0]?.error;
      const line = error?.line;
      const items = line ? ["Go to Line"] : [];
      void vscode.window.showErrorMessage(`${name} did not finish: ${status.message}`, ...items).then((choice) => {
        if (choice && line) {
          const file = error?.file ?? r.script;
          void vscode.window.showTextDocument(vscode.Uri.file(file), { selection: new vscode.Range(line - 1, 0, line - 1, 0) });
        }
      });
    } else if (status.state === "cancelled") {
      void vscode.window.showWarningMessage(`${name}: ${status.message} The timeline shows the trace up to the stop.`);
    } else if (model.races.length > 0) {
      const n = model.races.length;
      void vscode.window.showWarningMessage(`${name}: ${n} race point${n === 1 ? "" : "s"} found. See the Problems panel.`);
    }
  }

  dispose(): void {
    this.current?.abort();
  }
}

function emptyModel(): TraceModel {
  return {
    processes: [], threads: [], timelines: new Map(), handoffs: [], races: [], deadlocks: [], sites: [],
    durationMs: 0, events: 0, problem: null, warnings: [], gaps: [], dropped: 0,
  };
}
