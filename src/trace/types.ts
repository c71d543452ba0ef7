// The trace model's public shapes: what the analysis produces and every view consumes
// (CLI, extension, webview, HTML report). Pure data: no vscode import, no classes, JSON-safe
// except the typed arrays in ThreadTimeline, which the panel turns into plain arrays for postMessage.

/** What a thread is doing over an interval. */
export type ThreadState = "running" | "waiting" | "blocked";

/** Why a blocked thread is blocked (the `BLOCK_ENTER` kinds of docs/trace-format.md). */
export type BlockKind =
  | "sleep" | "lock" | "join" | "queueGet" | "queuePut" | "eventWait" | "conditionWait"
  | "ioRead" | "ioWrite" | "select" | "semaphore" | "barrier" | "processWait" | "input"
  | "futureResult" | "other";

/** Why the GIL passed from one thread to another. */
export type HandoffReason = "blocking" | "preempted" | "threadExit" | "threadStart" | "lockWait";

/** A place in the user's source. `file` is absolute as the tracer saw it. */
export interface SourceSite {
  file: string;
  line: number;
  /** Qualified name of the function, e.g. `Worker.run`, `<module>`. */
  function: string;
  /** Instruction (opname) when known, e.g. `STORE_GLOBAL`. */
  instruction?: string;
  offset?: number;
}

export interface PythonInfo {
  executable: string;
  version: string;
  implementation: string;
  gilEnabled: boolean;
  freeThreaded: boolean;
  switchIntervalS: number;
  mechanism: string;
}

/**
 * Per-thread intervals, columnar (one entry per interval, in time order, non-overlapping).
 * Times are ms since the start of the trace (the first process's startNs).
 */
export interface ThreadTimeline {
  start: Float64Array;
  end: Float64Array;
  /** 0 running, 1 waiting for the GIL, 2 blocked (see STATE_CODES). */
  state: Uint8Array;
  /** For blocked intervals: index into BLOCK_KINDS; otherwise 0. */
  blockKind: Uint8Array;
  /** Site id (index into TraceModel.sites) where the interval began, or -1. */
  site: Int32Array;
}

export const STATE_CODES: readonly ThreadState[] = ["running", "waiting", "blocked"];
export const BLOCK_KINDS: readonly BlockKind[] = [
  "other", "sleep", "lock", "join", "queueGet", "queuePut", "eventWait", "conditionWait",
  "ioRead", "ioWrite", "select", "semaphore", "barrier", "processWait", "input", "futureResult", "other",
];

export interface ThreadInfo {
  /** Unique within the model: `${pid}:${index}`. */
  id: string;
  pid: number;
  /** The tracer's per-process thread index (0 = main thread). */
  index: number;
  nativeId: number;
  name: string;
  /** The target function, e.g. `work` (or `Worker.run`), with its place; null for the main thread. */
  target: SourceSite | null;
  daemon: boolean;
  startMs: number;
  /** null while running / never ended in the trace. */
  endMs: number | null;
  runningMs: number;
  waitingMs: number;
  blockedMs: number;
  slices: number;
  exception: { type: string; message: string; file: string | null; line: number | null } | null;
}

export interface Handoff {
  timeMs: number;
  pid: number;
  /** Thread ids (`ThreadInfo.id`); `from` is null when the GIL was free (all threads blocked). */
  from: string | null;
  to: string;
  reason: HandoffReason;
  /** Where `from` was when it let go (the blocking call, the last line seen), when known. */
  site: SourceSite | null;
}

export interface ProcessInfo {
  pid: number;
  parentPid: number | null;
  python: PythonInfo;
  script: string | null;
  startMs: number;
  endMs: number | null;
  exitCode: number | null;
  threads: string[];
  handoffs: { total: number; byReason: Record<HandoffReason, number> };
  /** Median running-slice length of preempted slices, ms: the switch interval seen in practice. */
  observedSwitchIntervalMs: number | null;
  /** The uncaught exception that ended the process (from its end record), e.g. a SyntaxError with its line. */
  error?: ScriptError | null;
  /** The signal that ended the process (e.g. 15 when a timeout or cancel sent SIGTERM), from its end record. */
  signal?: number | null;
  /** A multiprocessing child's Process target (a pool's worker function for pool workers); null otherwise. */
  target?: SourceSite | null;
  /** The functions a Pool / ProcessPoolExecutor worker ran as tasks. */
  tasks?: SourceSite[];
}

/** An uncaught exception that ended a script or process. */
export interface ScriptError {
  type: string;
  message: string;
  file: string | null;
  line: number | null;
}

/** Where decoding stopped early, if it did. */
export interface DecodeProblem {
  kind: "truncated" | "corrupt" | "version";
  byteOffset: number;
  message: string;
}

/** A race point (issue "Race points"); the race analysis fills these. */
export interface RaceAccess {
  thread: string;
  op: "read" | "write";
  instruction: string;
  file: string;
  line: number;
  timeMs: number;
  /** The short stack: up to 3 callers in scope, innermost first (empty for a thread's own function). */
  stack?: SourceSite[];
}

export interface InterleavingStep {
  thread: string;
  instruction: string;
  variable: string;
  file: string;
  line: number;
  timeMs: number;
  /** e.g. "stale read", "lost update". */
  note?: string;
  /** The short stack: up to 3 callers in scope, innermost first. */
  stack?: SourceSite[];
}

export interface RacePoint {
  variable: string;
  kind: "lost-update" | "unsynchronized";
  count: number;
  /** Could the untraced interpreter of this version switch threads between the read and the write? */
  possibleUntraced: boolean;
  /** Plain-language explanation of possibleUntraced for this interpreter. */
  explanation: string;
  accesses: RaceAccess[];
  interleaving: InterleavingStep[];
  /** The suggested fix, e.g. "guard lines 12-13 with `with counter_lock:`". */
  fix: string;
}

/** A lock as the deadlock analysis names it. */
export interface DeadlockLock {
  /** The variable the program stored it in (`lock_a`, `self.lock`), else `lock made at line 12`. */
  name: string;
  /** The tracer's lock id (per process). */
  id: number;
  /** Where the program made it, when the trace says. */
  madeAt: SourceSite | null;
}

/** One thread of a deadlock cycle: it waits for a lock the next thread of the cycle holds, or joins it. */
export interface DeadlockThread {
  /** Thread id (`ThreadInfo.id`). */
  thread: string;
  name: string;
  /** The lock it waits for; null when it waits in a join. */
  waitsFor: DeadlockLock | null;
  /** The thread it joins (waits to end), when it waits in a join. */
  joins: { thread: string; name: string } | null;
  /** The acquire or join it is blocked in. */
  waitsAt: SourceSite | null;
  /** Every lock it holds while it waits, with where it took each; the one the previous thread waits for first. */
  holds: { lock: DeadlockLock; acquiredAt: SourceSite | null }[];
}

/** Threads blocked on each other's locks at the same time: a cycle of the wait-for graph. */
export interface Deadlock {
  pid: number;
  threads: DeadlockThread[];
  /** When the cycle closed (the last of its threads blocked), ms like every model time. */
  sinceMs: number;
  /** When it ended: an acquire gave up, or the trace ended (the run was stopped). */
  untilMs: number;
  /** An acquire with a timeout gave up and broke the cycle; false when the trace ended inside it. */
  brokenByTimeout: boolean;
}

/**
 * Where a run over its event limit (--max-events) dropped records between the head and the tail it
 * kept (docs/trace-format.md, GAP). Only race-relevant records were kept inside it, so no thread
 * interval spans it.
 */
export interface TraceGap {
  pid: number;
  /** The first dropped record's time, ms like every model time. */
  fromMs: number;
  /** The last dropped record's time; the process's end when the gap never closed (a killed run). */
  toMs: number;
  /** Records dropped in it. */
  dropped: number;
  /** The event limit in force. */
  limit: number;
  /** Dropped records by kind (`RUN`, `ACCESS`, ...); empty when the gap never closed. */
  byKind: Record<string, number>;
}

/** The whole analysed trace: what every view reads. Built by src/trace/model.ts. */
export interface TraceModel {
  processes: ProcessInfo[];
  threads: ThreadInfo[];
  /** Per thread id, its intervals. */
  timelines: Map<string, ThreadTimeline>;
  handoffs: Handoff[];
  races: RacePoint[];
  /** Gaps of runs over their event limit, in time order per process. */
  gaps: TraceGap[];
  /** Records the tracer dropped at its event limit, all processes. */
  dropped: number;
  /** Lock cycles among blocked threads (src/trace/deadlocks.ts). */
  deadlocks: Deadlock[];
  /** Sites referenced by ThreadTimeline.site. */
  sites: SourceSite[];
  durationMs: number;
  events: number;
  problem: DecodeProblem | null;
  warnings: string[];
}
