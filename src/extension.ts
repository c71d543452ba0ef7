// activate(): wires the pieces together, nothing else. What each piece does lives in its module.
import * as vscode from "vscode";
import { registerCompare } from "./commands/compare";
import { registerExports } from "./commands/exports";
import { forgetInterpreters } from "./commands/interpreter";
import { loadTrace, registerCommands } from "./commands/register";
import { OutputChannelSink } from "./commands/runOutput";
import { Timelines } from "./commands/timelines";
import { TraceRunner } from "./commands/traceRun";
import { TraceStore } from "./commands/traceStore";
import { LockFixProvider } from "./editor/lockFixAction";
import { RaceEditorView } from "./editor/raceDiagnostics";
import { ThreadTargetLenses } from "./editor/targetLenses";
import { registerTimelineSerializer } from "./panel/timelinePanel";

/** What activate() returns: the parts in-host tests look at. */
export interface GilTimelineApi {
  store: TraceStore;
  races: RaceEditorView;
  lenses: ThreadTargetLenses;
  runner: TraceRunner;
}

export function activate(context: vscode.ExtensionContext): GilTimelineApi {
  const python: vscode.DocumentSelector = { language: "python", scheme: "file" };
  const store = new TraceStore();
  const output = new OutputChannelSink();
  const timelines = new Timelines(context.extensionUri);
  const runner = new TraceRunner(context.storageUri ?? context.globalStorageUri, store, output, timelines);
  const races = new RaceEditorView(store);
  const lenses = new ThreadTargetLenses(store, (line) => output.channel.appendLine(line));
  context.subscriptions.push(
    store, output, timelines, runner, races, lenses,
    vscode.languages.registerCodeLensProvider(python, lenses),
    vscode.languages.registerCodeActionsProvider(python, new LockFixProvider(races), {
      providedCodeActionKinds: LockFixProvider.kinds,
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration("gilTimeline.pythonPath") || e.affectsConfiguration("python")) forgetInterpreters();
    }),
  );
  registerCommands(context, runner, store, timelines);
  registerExports(context, timelines, store);
  registerCompare(context, output);
  registerTimelineSerializer(context, loadTrace, (panel) => timelines.adopt(panel), (panel, model, tracePath) => {
    // A script's restored timeline brings back its lenses, diagnostics and hovers, unless a run
    // since the reload already gave the script a newer trace.
    if (panel.script !== null && !store.forScript(panel.script)) {
      store.set({ script: panel.script, model, tracePath, status: { state: "done", exitCode: model.processes[0]?.exitCode ?? null } });
    }
  });
  return { store, races, lenses, runner };
}

export function deactivate(): void {
  // Everything is in context.subscriptions; a running trace is aborted by TraceRunner.dispose().
}
