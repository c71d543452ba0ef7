// A trace model (and what the run told us) as the data an HTML report embeds.
import { buildTimelineView } from "../panel/viewModel";
import type { RunStatus } from "../protocol";
import { raceText } from "../trace/raceText";
import { summarize, type TraceSummary } from "../trace/summary";
import { summaryText } from "../trace/summaryText";
import type { TraceModel } from "../trace/types";
import type { ReportData } from "./reportData";

export interface ReportOptions {
  title: string;
  /** The summary with the run's facts (exit code, error); default: from the model alone. */
  summary?: TraceSummary;
  /** The program's stdout, when it was captured. */
  output?: string | null;
  status?: RunStatus;
  now?: Date;
}

/** How the run ended, as the panel's status line says it, from what the summary knows. */
function statusOf(model: TraceModel, summary: TraceSummary): RunStatus {
  const { exitCode, error, signal } = summary.script;
  if (model.problem) return { state: "failed", message: `${model.problem.kind} at byte ${model.problem.byteOffset}: ${model.problem.message}`, exitCode };
  if (error) return { state: "failed", message: `${error.type}${error.line ? ` at line ${error.line}` : ""}: ${error.message}`, exitCode };
  if (signal !== null) return { state: "cancelled", message: `stopped by signal ${signal}`, exitCode };
  if (exitCode !== null && exitCode !== 0) return { state: "failed", message: `exit code ${exitCode}`, exitCode };
  return { state: "done", exitCode };
}

export function reportData(model: TraceModel, o: ReportOptions): ReportData {
  const summary = o.summary ?? summarize(model);
  const status = o.status ?? statusOf(model, summary);
  return {
    view: buildTimelineView(model, { title: o.title }),
    status,
    summaryText: summaryText(summary) + raceText(summary.races),
    output: o.output ?? null,
    generatedAt: (o.now ?? new Date()).toISOString(),
  };
}
