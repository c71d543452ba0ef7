// The JSON summary of a trace (docs/summary-schema.json): what `gil-timeline --json` writes and
// what graders and other tools read. Built only from the model, so a live run and a saved trace
// give the same document.
import { zeroHandoffCounts } from "./model";
import { meanSliceMs } from "./slices";
import type { Deadlock, HandoffReason, PythonInfo, RacePoint, ScriptError, SourceSite, TraceGap, TraceModel } from "./types";

export const SUMMARY_SCHEMA_VERSION = 1;

export interface ThreadSummary {
  id: string;
  index: number;
  name: string;
  target: SourceSite | null;
  daemon: boolean;
  runningMs: number;
  waitingMs: number;
  blockedMs: number;
  slices: number;
  /** Mean GIL slice length (runningMs / slices), ms; null for a thread that never held the GIL. */
  meanSliceMs: number | null;
  /** Fraction of the process's lifetime this thread held the GIL. */
  gilShare: number;
  exception: ScriptError | null;
}

export interface ProcessSummary {
  pid: number;
  parentPid: number | null;
  exitCode: number | null;
  durationMs: number;
  observedSwitchIntervalMs: number | null;
  handoffs: { total: number; byReason: Record<HandoffReason, number> };
  threads: ThreadSummary[];
}

export interface TraceSummary {
  schemaVersion: number;
  python: Pick<PythonInfo, "executable" | "version" | "implementation" | "gilEnabled" | "freeThreaded" | "switchIntervalS" | "mechanism">;
  script: { path: string | null; exitCode: number | null; signal: number | null; error: ScriptError | null };
  durationMs: number;
  processes: ProcessSummary[];
  handoffs: { total: number; byReason: Record<HandoffReason, number> };
  trace: {
    events: number;
    truncated: boolean;
    problem: TraceModel["problem"];
    warnings: string[];
    /** Records dropped at the tracer's event limit (--max-events). */
    dropped: number;
    /** Where they were dropped: between the head and the tail the trace kept. */
    gaps: TraceGap[];
  };
  races: RacePoint[];
  deadlocks: Deadlock[];
}

/** What the trace cannot know when its end record is missing (killed, crashed tracer). */
export interface RunFacts {
  exitCode?: number | null;
  signal?: number | null;
  error?: ScriptError | null;
  python?: Pick<PythonInfo, "executable" | "version">;
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;
const roundOrNull = (ms: number | null) => (ms === null ? null : round(ms));

export function summarize(model: TraceModel, facts: RunFacts = {}): TraceSummary {
  const main = model.processes[0];
  const byReason = zeroHandoffCounts();
  for (const p of model.processes) for (const [r, n] of Object.entries(p.handoffs.byReason)) byReason[r as HandoffReason] += n;
  const py = main?.python;
  return {
    schemaVersion: SUMMARY_SCHEMA_VERSION,
    python: {
      executable: py?.executable ?? facts.python?.executable ?? "",
      version: py?.version ?? facts.python?.version ?? "",
      implementation: py?.implementation ?? "cpython",
      gilEnabled: py?.gilEnabled ?? true,
      freeThreaded: py?.freeThreaded ?? false,
      switchIntervalS: py?.switchIntervalS ?? 0.005,
      mechanism: py?.mechanism ?? "",
    },
    script: {
      path: main?.script ?? null,
      exitCode: main?.exitCode ?? facts.exitCode ?? null,
      signal: main?.signal ?? facts.signal ?? null,
      // The traceback guessed from stderr only where the trace does not say how the process ended
      // (killed, crashed tracer): else it may be a thread's, in a process that ended by sys.exit().
      error: main?.error ?? (main?.endMs != null ? null : facts.error ?? null),
    },
    durationMs: round(model.durationMs),
    processes: model.processes.map((p) => {
      const durationMs = (p.endMs ?? model.durationMs) - p.startMs;
      return {
        pid: p.pid,
        parentPid: p.parentPid,
        exitCode: p.exitCode,
        durationMs: round(durationMs),
        observedSwitchIntervalMs: p.observedSwitchIntervalMs === null ? null : round(p.observedSwitchIntervalMs),
        handoffs: p.handoffs,
        threads: model.threads
          .filter((t) => t.pid === p.pid)
          .map((t) => ({
            id: t.id,
            index: t.index,
            name: t.name,
            target: t.target,
            daemon: t.daemon,
            runningMs: round(t.runningMs),
            waitingMs: round(t.waitingMs),
            blockedMs: round(t.blockedMs),
            slices: t.slices,
            meanSliceMs: roundOrNull(meanSliceMs(t.runningMs, t.slices)),
            gilShare: durationMs > 0 ? Math.round((t.runningMs / durationMs) * 10000) / 10000 : 0,
            exception: t.exception,
          })),
      };
    }),
    handoffs: { total: Object.values(byReason).reduce((s, n) => s + n, 0), byReason },
    trace: {
      events: model.events,
      truncated: model.problem !== null || model.processes.some((p) => p.endMs === null),
      problem: model.problem,
      warnings: model.warnings,
      dropped: model.dropped,
      gaps: model.gaps.map((g) => ({ ...g, fromMs: round(g.fromMs), toMs: round(g.toMs) })),
    },
    races: model.races,
    deadlocks: model.deadlocks.map((d) => ({ ...d, sinceMs: round(d.sinceMs), untilMs: round(d.untilMs) })),
  };
}
