// "GIL Timeline: Compare Runs…" (issue 5): pick two or more variants (switch intervals, stress,
// interpreters), run the current file once per variant with progress and Cancel, then open the
// compare panel: the table of differences over one timeline per run.
import { mkdirSync } from "node:fs";
import { basename, dirname, isAbsolute, join } from "node:path";
import * as vscode from "vscode";
import { ComparePanel } from "../panel/comparePanel";
import { buildCompareView, compareRunState, type CompareInput } from "../panel/compareView";
import { findPythons, type PythonInstall } from "../run/pythons";
import { runVariants, STRESS_SWITCH_INTERVAL_S, variantLabel } from "../run/variants";
import type { Variant } from "../trace/compare";
import { findInterpreter, InterpreterError, reportInterpreterError } from "./interpreter";
import type { OutputChannelSink } from "./runOutput";
import { runStatus } from "./runStatus";
import { requireTrust } from "./trust";

export const COMPARE_COMMAND = "gilTimeline.compareRuns";

interface VariantItem extends vscode.QuickPickItem {
  variant?: Omit<Variant, "label">;
  python?: PythonInstall;
}

/** Interpreters on this machine, found once per session (probing each costs a process start). */
let machinePythons: PythonInstall[] | null = null;

/** The choices: switch intervals with the selected interpreter, then each interpreter found. */
function variantItems(selected: PythonInstall): VariantItem[] {
  const interval = (s: number, note = ""): VariantItem => ({
    label: variantLabel({ switchIntervalS: s }, null),
    description: `Python ${selected.version}${note}`,
    variant: { switchIntervalS: s },
    // The default pair: a short and a long interval, so the handoffs change a lot (245 vs 55
    // preempted on lab 02 at 1 ms vs 20 ms; 5 ms vs 20 ms gave only 54 vs 42 under load).
    picked: s === 0.001 || s === 0.02,
  });
  machinePythons ??= findPythons();
  const others = machinePythons.filter((p) => p.executable !== selected.executable && (p.version !== selected.version || p.freeThreaded !== selected.freeThreaded));
  return [
    { label: "Switch interval", kind: vscode.QuickPickItemKind.Separator },
    interval(0.001),
    interval(0.005, " (CPython's default)"),
    interval(0.02),
    interval(STRESS_SWITCH_INTERVAL_S, " (race stress: a switch is possible almost anywhere)"),
    { label: "Interpreter", kind: vscode.QuickPickItemKind.Separator },
    ...[selected, ...others].map((p, i): VariantItem => ({
      label: `Python ${p.version}${p.freeThreaded ? " (free-threaded, no GIL)" : ""}`,
      description: i === 0 ? "selected interpreter" : undefined,
      detail: p.executable,
      variant: { python: p.executable },
      python: p,
    })),
  ];
}

async function pickVariants(selected: PythonInstall, script: string): Promise<Variant[] | undefined> {
  const picked = await vscode.window.showQuickPick(variantItems(selected), {
    canPickMany: true,
    title: `Compare runs of ${basename(script)}`,
    placeHolder: "Pick two or more variants; the script runs once per variant",
  });
  if (!picked) return undefined;
  const variants = picked.filter((p) => p.variant).map((p) => ({ ...p.variant, label: variantLabel(p.variant ?? {}, p.python ?? null) }));
  if (variants.length < 2) {
    void vscode.window.showErrorMessage("GIL Timeline: pick two variants or more to compare.");
    return undefined;
  }
  return variants;
}

function isVariantList(x: unknown): x is Variant[] {
  return Array.isArray(x) && x.length >= 2 && x.every((v) => typeof v === "object" && v !== null && typeof (v as Variant).label === "string");
}

export function registerCompare(context: vscode.ExtensionContext, output: OutputChannelSink): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMPARE_COMMAND, (arg: unknown, given: unknown) =>
      compareRuns(context, output, arg instanceof vscode.Uri ? arg : undefined, isVariantList(given) ? given : undefined),
    ),
  );
}

/** Runs the comparison; resolves to the panel, or undefined when nothing ran. */
async function compareRuns(context: vscode.ExtensionContext, sink: OutputChannelSink, uri: vscode.Uri | undefined, given: Variant[] | undefined): Promise<ComparePanel | undefined> {
  uri ??= vscode.window.activeTextEditor?.document.uri;
  if (!uri || !uri.fsPath.endsWith(".py")) {
    void vscode.window.showErrorMessage("GIL Timeline: open a Python file to compare runs of.");
    return undefined;
  }
  if (!(await requireTrust())) return undefined;
  let selected: PythonInstall;
  try {
    selected = await findInterpreter(uri);
  } catch (e) {
    if (e instanceof InterpreterError) void reportInterpreterError(e);
    else void vscode.window.showErrorMessage(`GIL Timeline: ${(e as Error).message}`);
    return undefined;
  }
  const script = uri.fsPath;
  const variants = given ?? (await pickVariants(selected, script));
  if (!variants) return undefined;
  for (const d of vscode.workspace.textDocuments) if (d.isDirty && d.languageId === "python") await d.save();

  const c = vscode.workspace.getConfiguration("gilTimeline", uri);
  const timeoutS = Math.max(0, c.get<number>("timeoutSeconds", 60));
  const folder = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath;
  const scope = c.get<string[]>("traceScope", []).map((p) => (isAbsolute(p) || !folder ? p : join(folder, p)));
  const title = `GIL Timeline: compare ${basename(script)}`;
  const panel = ComparePanel.show(context.extensionUri, title);
  // The runs' traces are kept (beside the single runs' ones) so the panel can be restored after a reload.
  const traceDir = join((context.storageUri ?? context.globalStorageUri).fsPath, "traces");
  mkdirSync(traceDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const tracePath = (i: number) => join(traceDir, `${basename(script, ".py")}-compare-${stamp}-${i + 1}.trace`);
  // The runs' output goes to the Output channel without bringing it up: the panel is what to look at.
  const out = { write: (text: string) => sink.channel.append(text) };
  const controller = new AbortController();
  panel.onDidDispose(() => controller.abort());
  try {
    const runs = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `GIL Timeline: comparing ${basename(script)}`, cancellable: true },
      (progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        return runVariants({
          script, cwd: dirname(script), variants,
          defaultPython: selected.executable,
          timeoutS: timeoutS > 0 ? timeoutS : undefined,
          races: c.get<boolean>("races", true) ? undefined : false,
          scope: scope.length > 0 ? scope : undefined,
          signal: controller.signal,
          tracePath,
          onRunStart: (i, v) => {
            const message = `run ${i + 1} of ${variants.length}: ${v.label}`;
            progress.report({ message, increment: i === 0 ? 0 : 100 / variants.length });
            panel.setStatus({ state: "running", message });
            out.write(`\n▶ ${v.python ?? selected.executable} ${basename(script)}   (${v.label})\n`);
          },
          onStdout: (d) => out.write(d.toString("utf8")),
          onStderr: (d) => out.write(d.toString("utf8")),
        });
      },
    );
    if (controller.signal.aborted || runs.length < variants.length) {
      panel.setStatus({ state: "cancelled", message: `stopped after ${runs.length} of ${variants.length} runs` });
      if (runs.length < 2) return panel;
    }
    const inputs: CompareInput[] = runs.map((r) => ({ ...r, status: runStatus(r.result, r.model, { timeoutS }) }));
    panel.showComparison(buildCompareView(title, inputs), inputs.map((input, i) => compareRunState(input, tracePath(i))));
    return panel;
  } catch (e) {
    const message = `GIL Timeline could not compare runs of ${basename(script)}: ${(e as Error).message}`;
    panel.setStatus({ state: "failed", message });
    void vscode.window.showErrorMessage(message);
    return panel;
  }
}
