// The JSON summary of a finished run: the trace's own facts, completed from the child process
// (exit code, signal, the traceback on stderr) where the trace lacks them (killed, crashed tracer).
import { constants } from "node:os";
import { summarize, type TraceSummary } from "../trace/summary";
import { lastException } from "../trace/traceback";
import type { RunResult } from "./runTracer";

export function runSummary(result: RunResult, python: { executable: string; version: string }): TraceSummary {
  return summarize(result.model, {
    exitCode: result.exitCode,
    signal: result.signal ? constants.signals[result.signal] : null,
    error: result.exitCode !== 0 ? lastException(result.stderrTail) : null,
    python,
  });
}
