// Runs of a comparison -> CompareView: the table of differences and one TimelineView per run, as
// plain JSON for the webview. Pure, no vscode (the browser test builds it from real runs too).
import type { CompareRunState, CompareView, RunStatus } from "../protocol";
import { compareRuns, finalOutput, type ComparedRun } from "../trace/compare";
import { summarize } from "../trace/summary";
import type { TraceModel } from "../trace/types";
import { buildTimelineView } from "./viewModel";

export interface CompareInput {
  run: ComparedRun;
  model: TraceModel;
  status: RunStatus;
}

export function buildCompareView(title: string, runs: CompareInput[]): CompareView {
  return {
    title,
    runs: runs.map(({ run, model, status }) => ({
      label: run.variant.label,
      view: buildTimelineView(model, { title: run.variant.label }),
      status,
    })),
    rows: compareRuns(runs.map((r) => r.run)).rows,
  };
}

/** What a compare panel persists of one run (its trace file holds the rest). */
export function compareRunState(input: CompareInput, tracePath: string): CompareRunState {
  const { run, status } = input;
  const { executable, version } = run.summary.python;
  return { label: run.variant.label, tracePath, exitCode: run.exitCode, output: finalOutput(run.stdout), status, python: { executable, version } };
}

/** One run of a compare panel restored after a reload: its persisted facts over its trace file's model. */
export function restoredCompareInput(saved: CompareRunState, model: TraceModel): CompareInput {
  const summary = summarize(model, { exitCode: saved.exitCode, python: saved.python });
  return { run: { variant: { label: saved.label }, summary, stdout: saved.output, exitCode: saved.exitCode }, model, status: saved.status };
}
