// Hand-made TraceModels for the view-model unit tests (real traces are used by the browser tests).
import type { Deadlock, Handoff, HandoffReason, ProcessInfo, RacePoint, SourceSite, ThreadInfo, ThreadTimeline, TraceModel } from "../../src/trace/types";

export type Interval = [start: number, end: number, state: number, blockKind?: number, site?: number];

export interface FixtureThread {
  name: string;
  pid?: number;
  index: number;
  target?: SourceSite | null;
  intervals: Interval[];
}

const reasons: HandoffReason[] = ["blocking", "preempted", "threadExit", "threadStart", "lockWait"];

function timeline(intervals: Interval[]): ThreadTimeline {
  return {
    start: Float64Array.from(intervals.map((i) => i[0])),
    end: Float64Array.from(intervals.map((i) => i[1])),
    state: Uint8Array.from(intervals.map((i) => i[2])),
    blockKind: Uint8Array.from(intervals.map((i) => i[3] ?? 0)),
    site: Int32Array.from(intervals.map((i) => i[4] ?? -1)),
  };
}

function threadInfo(t: FixtureThread, pid: number): ThreadInfo {
  const total = (state: number): number => t.intervals.filter((i) => i[2] === state).reduce((s, i) => s + i[1] - i[0], 0);
  return {
    id: `${pid}:${t.index}`,
    pid,
    index: t.index,
    nativeId: 1000 + t.index,
    name: t.name,
    target: t.target ?? null,
    daemon: false,
    startMs: t.intervals[0]?.[0] ?? 0,
    endMs: t.intervals.at(-1)?.[1] ?? null,
    runningMs: total(0),
    waitingMs: total(1),
    blockedMs: total(2),
    slices: t.intervals.filter((i) => i[2] === 0).length,
    exception: null,
  };
}

export function processInfo(pid: number, threads: string[], gilEnabled = true): ProcessInfo {
  return {
    pid,
    parentPid: null,
    python: {
      executable: "/usr/bin/python3",
      version: "3.12.3",
      implementation: "CPython",
      gilEnabled,
      freeThreaded: !gilEnabled,
      switchIntervalS: 0.005,
      mechanism: "sys.monitoring",
    },
    script: "/lab/script.py",
    startMs: 0,
    endMs: null,
    exitCode: 0,
    threads,
    handoffs: { total: 0, byReason: Object.fromEntries(reasons.map((r) => [r, 0])) as Record<HandoffReason, number> },
    observedSwitchIntervalMs: 5,
  };
}

export function makeModel(threads: FixtureThread[], extra: { handoffs?: Handoff[]; races?: RacePoint[]; deadlocks?: Deadlock[]; sites?: SourceSite[] } = {}): TraceModel {
  const infos = threads.map((t) => threadInfo(t, t.pid ?? 100));
  const pids = [...new Set(infos.map((t) => t.pid))];
  const processes = pids.map((pid) => processInfo(pid, infos.filter((t) => t.pid === pid).map((t) => t.id)));
  for (const h of extra.handoffs ?? []) {
    const p = processes.find((q) => q.pid === h.pid);
    if (p) {
      p.handoffs.total++;
      p.handoffs.byReason[h.reason]++;
    }
  }
  return {
    processes,
    threads: infos,
    timelines: new Map(threads.map((t, i) => [infos[i].id, timeline(t.intervals)])),
    handoffs: extra.handoffs ?? [],
    races: extra.races ?? [],
    deadlocks: extra.deadlocks ?? [],
    sites: extra.sites ?? [],
    durationMs: threads.reduce((m, t) => t.intervals.reduce((n, i) => Math.max(n, i[1]), m), 0),
    events: 1234,
    problem: null,
    warnings: [], gaps: [], dropped: 0,
  };
}

export const site = (line: number, fn = "work", file = "/lab/script.py"): SourceSite => ({ file, line, function: fn });

/** A lost update on `counter` between threads 100:1 and 100:2, as the race analysis reports one. */
export function counterRace(file = "/lab/race.py"): RacePoint {
  return {
    variable: "counter",
    kind: "lost-update",
    count: 2,
    possibleUntraced: true,
    explanation: "CPython 3.9 can switch threads between LOAD_GLOBAL and STORE_GLOBAL.",
    fix: "guard lines 7-8 with `with counter_lock:`",
    accesses: [
      { thread: "100:1", op: "read", instruction: "LOAD_GLOBAL", file, line: 7, timeMs: 2 },
      { thread: "100:2", op: "write", instruction: "STORE_GLOBAL", file, line: 8, timeMs: 6 },
    ],
    interleaving: [
      { thread: "100:1", instruction: "LOAD_GLOBAL", variable: "counter", file, line: 7, timeMs: 2 },
      { thread: "100:2", instruction: "LOAD_GLOBAL", variable: "counter", file, line: 7, timeMs: 4, note: "stale read" },
      { thread: "100:2", instruction: "STORE_GLOBAL", variable: "counter", file, line: 8, timeMs: 6, note: "lost update" },
    ],
  };
}
