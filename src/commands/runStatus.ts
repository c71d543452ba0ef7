// How a finished run ended, in words for the timeline panel, the Output channel and a notification.
// Pure (no vscode import), so it is tested on real runs.
import type { RunStatus } from "../protocol";
import type { RunResult } from "../run/runTracer";
import { deadlockLabel } from "../trace/deadlockText";
import type { TraceModel } from "../trace/types";

/** How a finished run ended, in words for the panel and a notification. */
export function runStatus(result: RunResult, model: TraceModel, settings: { timeoutS: number }): RunStatus {
  // The panel already says that a cancelled run shows the partial trace: say only why it stopped.
  // A run stopped inside a deadlock was not slow: it was stuck, and the timeline shows where.
  const stuck = model.deadlocks.find((d) => !d.brokenByTimeout);
  const inDeadlock = stuck ? ` The program was stuck in a ${deadlockLabel(stuck)}.` : "";
  if (result.timedOut) {
    return { state: "cancelled", message: `Stopped after the ${settings.timeoutS} s timeout (gilTimeline.timeoutSeconds).${inDeadlock}`, exitCode: result.exitCode };
  }
  if (result.cancelled) return { state: "cancelled", message: `Stopped by you.${inDeadlock}`, exitCode: result.exitCode };
  const error = model.processes[0]?.error;
  if (error) {
    const where = error.line ? ` at line ${error.line}` : "";
    return { state: "failed", message: `${error.type}${where}: ${error.message}`, exitCode: result.exitCode };
  }
  if (model.processes.length === 0) {
    const tail = result.stderrTail.trim().split("\n").slice(-3).join(" ");
    return { state: "failed", message: `The tracer wrote no trace${tail ? `: ${tail}` : ""}.`, exitCode: result.exitCode };
  }
  return { state: "done", exitCode: result.exitCode };
}
