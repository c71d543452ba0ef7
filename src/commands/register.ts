// The commands of the palette, the editor title button, the keybinding and the lenses.
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import * as vscode from "vscode";
import { SHOW_TIMELINE_COMMAND, TRACE_FILE_COMMAND, type ShowTimelineArgs } from "../editor/targetLenses";
import { decodeTrace } from "../trace/decode";
import { buildModel } from "../trace/model";
import type { TraceModel } from "../trace/types";
import { splitArgs } from "./argv";
import type { Timelines } from "./timelines";
import type { TraceRunner } from "./traceRun";
import type { TraceStore } from "./traceStore";

export const COMMANDS = {
  traceFile: TRACE_FILE_COMMAND,
  traceFileWithArgs: "gilTimeline.traceFileWithArgs",
  stopTracing: "gilTimeline.stopTracing",
  openTraceFile: "gilTimeline.openTraceFile",
  showTimeline: SHOW_TIMELINE_COMMAND,
  keepTimeline: "gilTimeline.keepTimeline",
} as const;

const LAST_ARGS_KEY = "gilTimeline.lastArgs";

/** Reads a saved trace into a model (also used to restore panels after a reload). */
export async function loadTrace(path: string): Promise<TraceModel> {
  return buildModel(decodeTrace(new Uint8Array(await readFile(path))));
}

/** The Python file a command is about: its argument (explorer, lens, title button) or the active editor. */
function targetUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  const uri = vscode.window.activeTextEditor?.document.uri;
  if (!uri) void vscode.window.showErrorMessage("GIL Timeline: open a Python file to trace first.");
  return uri;
}

export function registerCommands(
  context: vscode.ExtensionContext,
  runner: TraceRunner,
  store: TraceStore,
  timelines: Timelines,
): void {
  const register = (id: string, fn: (...args: unknown[]) => unknown): void => {
    context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  };

  register(COMMANDS.traceFile, (arg) => {
    const uri = targetUri(arg);
    return uri ? runner.trace(uri) : undefined;
  });

  register(COMMANDS.traceFileWithArgs, async (arg, given) => {
    const uri = targetUri(arg);
    if (!uri) return undefined;
    let args: string[];
    if (Array.isArray(given) && given.every((a) => typeof a === "string")) args = given; // from tests and keybindings
    else {
      const remembered = context.workspaceState.get<Record<string, string>>(LAST_ARGS_KEY, {});
      const line = await vscode.window.showInputBox({
        title: `Trace ${basename(uri.fsPath)} with arguments`,
        prompt: "Arguments for the script, split like a shell would (quotes work; nothing is run by a shell)",
        value: remembered[uri.fsPath] ?? "",
        validateInput: (v) => {
          try {
            splitArgs(v);
            return undefined;
          } catch (e) {
            return (e as Error).message;
          }
        },
      });
      if (line === undefined) return undefined;
      await context.workspaceState.update(LAST_ARGS_KEY, { ...remembered, [uri.fsPath]: line });
      args = splitArgs(line);
    }
    return runner.trace(uri, args);
  });

  register(COMMANDS.stopTracing, async () => {
    if (!runner.running) {
      void vscode.window.showInformationMessage("GIL Timeline: nothing is being traced.");
      return;
    }
    await runner.stop();
  });

  register(COMMANDS.openTraceFile, async (arg) => {
    let uri = arg instanceof vscode.Uri ? arg : undefined;
    if (!uri) {
      const picked = await vscode.window.showOpenDialog({
        canSelectMany: false,
        filters: { "GIL Timeline traces": ["trace"], "All files": ["*"] },
        openLabel: "Open Trace",
      });
      uri = picked?.[0];
    }
    if (!uri) return undefined;
    let model: TraceModel;
    try {
      model = await loadTrace(uri.fsPath);
    } catch (e) {
      void vscode.window.showErrorMessage(`GIL Timeline cannot read ${basename(uri.fsPath)}: ${(e as Error).message}`);
      return undefined;
    }
    const problem = model.problem;
    const result = {
      script: model.processes[0]?.script ?? uri.fsPath,
      model,
      tracePath: uri.fsPath,
      status: problem
        ? { state: "failed" as const, message: `${problem.kind} at byte ${problem.byteOffset}: ${problem.message}` }
        : { state: "done" as const },
    };
    if (problem) void vscode.window.showWarningMessage(`GIL Timeline: ${basename(uri.fsPath)} is ${problem.kind}; showing what was read before byte ${problem.byteOffset}.`);
    store.set(result);
    timelines.show(result, `GIL Timeline: ${basename(uri.fsPath)}`);
    return result;
  });

  register(COMMANDS.keepTimeline, () => {
    if (timelines.keep(vscode.window.activeTextEditor?.document.uri.fsPath)) return;
    void vscode.window.showInformationMessage("GIL Timeline: no script timeline to keep. Trace a script first, then keep its timeline to compare it with the next run.");
  });

  register(COMMANDS.showTimeline, (arg) => {
    const lens = arg as Partial<ShowTimelineArgs> | undefined;
    if (lens && typeof lens.script === "string" && Array.isArray(lens.threads)) {
      const result = store.forScript(lens.script);
      if (result) timelines.show(result, lens.title ?? "GIL Timeline", { filterThreads: lens.threads });
      return;
    }
    const active = vscode.window.activeTextEditor?.document.uri.fsPath;
    if (active && timelines.reveal(active)) return;
    const result = (active ? store.forScript(active) : undefined) ?? store.latest();
    if (!result) {
      void vscode.window.showInformationMessage("GIL Timeline: no trace yet. Run “GIL Timeline: Trace Current File” first.");
      return;
    }
    timelines.show(result, `GIL Timeline: ${basename(result.script)}`);
  });
}
