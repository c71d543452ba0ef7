// Runs of a comparison -> CompareView: the table of differences and one TimelineView per run, as
// plain JSON for the webview. Pure, no vscode (the browser test builds it from real runs too).
import type { CompareView, RunStatus } from "../protocol";
import { compareRuns, type ComparedRun } from "../trace/compare";
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
