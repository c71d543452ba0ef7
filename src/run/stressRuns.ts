// Runs one script N times under the tracer for race stress (src/trace/stress.ts folds the runs).
// One run at a time: the runs compete for the same cores, and a second one would change the
// thread scheduling under test more than it saves time.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { StressRun } from "../trace/stress";
import type { TraceModel } from "../trace/types";
import { runTracer, type RunOptions } from "./runTracer";

/** CPython's switch interval can go this low (sys.setswitchinterval takes any positive float). */
export const STRESS_SWITCH_INTERVAL_S = 1e-6;

/** Keeps at most this much of each run's stdout (a runaway printer must not fill the memory). */
const STDOUT_CAP = 1 << 20;

export interface StressOptions extends Pick<RunOptions, "python" | "script" | "module" | "args" | "cwd" | "timeoutS" | "signal"> {
  runs: number;
  switchInterval?: number;
  /** Called before each run starts (1-based). */
  onRun?: (run: number) => void;
  onStderr?: (data: Buffer) => void;
}

/** As the summary's trace.truncated: damaged, or a process never wrote its end. */
function truncated(model: TraceModel): boolean {
  return model.problem !== null || model.processes.length === 0 || model.processes.some((p) => p.endMs === null);
}

export async function stressRuns(o: StressOptions): Promise<StressRun[]> {
  const dir = mkdtempSync(join(tmpdir(), "gil-timeline-stress-"));
  const results: StressRun[] = [];
  try {
    for (let i = 1; i <= o.runs && !o.signal?.aborted; i++) {
      o.onRun?.(i);
      // Bytes, decoded once at the end: a chunk may end inside a UTF-8 character.
      const chunks: Buffer[] = [];
      let bytes = 0;
      const r = await runTracer({
        python: o.python,
        script: o.script,
        module: o.module,
        args: o.args,
        cwd: o.cwd,
        out: join(dir, `run-${i}.trace`),
        switchInterval: o.switchInterval ?? STRESS_SWITCH_INTERVAL_S,
        timeoutS: o.timeoutS,
        onStdout: (d) => {
          if (bytes >= STDOUT_CAP) return;
          chunks.push(d.subarray(0, STDOUT_CAP - bytes));
          bytes += d.length;
        },
        onStderr: o.onStderr,
        signal: o.signal,
      });
      // A cancelled run is not a result: its output and races are whatever it got to.
      if (r.cancelled) break;
      results.push({ stdout: Buffer.concat(chunks).toString("utf8"), exitCode: r.exitCode, races: r.model.races, truncated: truncated(r.model) });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
