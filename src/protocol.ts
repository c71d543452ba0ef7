// The one message protocol between the timeline panel (extension host) and its webview.
// Both sides import this file; everything here is plain JSON (postMessage structured-clones it,
// and the serializer persists part of it), so no Maps, typed arrays or class instances.

import type { DiffRow } from "./trace/compare";
import type { HandoffReason, ThreadState } from "./trace/types";

/** Handoff reasons by code, as used in HandoffColumns.reason. */
export const HANDOFF_REASONS: readonly HandoffReason[] = ["blocking", "preempted", "threadExit", "threadStart", "lockWait"];

/** Thread states by code (same codes as the model's ThreadTimeline.state). */
export const STATE_NAMES: readonly ThreadState[] = ["running", "waiting", "blocked"];

/** A place in the user's source, as the webview needs it (`file` absolute). */
export interface SiteView {
  file: string;
  line: number;
  function: string;
  instruction?: string;
}

/** One lane's intervals, columnar (times in ms since trace start, in time order). */
export interface IntervalColumns {
  start: number[];
  end: number[];
  /** STATE_NAMES code. */
  state: number[];
  /** Block kind name index into TimelineView.blockKinds (0 when not blocked). */
  blockKind: number[];
  /** Index into TimelineView.sites, or -1. */
  site: number[];
}

/** A process's GIL row: which lane held the GIL when (lane = index into TimelineView.lanes). */
export interface GilColumns {
  start: number[];
  end: number[];
  lane: number[];
}

export interface HandoffColumns {
  time: number[];
  /** Lane index of the thread that let go, or -1 when the GIL was free. */
  from: number[];
  to: number[];
  /** HANDOFF_REASONS code. */
  reason: number[];
  /** Index into TimelineView.sites, or -1. */
  site: number[];
}

export interface LaneView {
  /** ThreadInfo.id (`pid:index`). */
  id: string;
  pid: number;
  /** The tracer's thread index (0 = main thread). */
  index: number;
  name: string;
  /** e.g. `work()` or `Worker.run()`; null for the main thread. */
  target: string | null;
  targetSite: SiteView | null;
  startMs: number;
  endMs: number | null;
  runningMs: number;
  waitingMs: number;
  blockedMs: number;
  /** Running time over the thread's lifetime, 0..1. */
  gilShare: number;
  slices: number;
  exception: string | null;
  intervals: IntervalColumns;
}

export interface ProcessView {
  pid: number;
  parentPid: number | null;
  script: string | null;
  /** e.g. "CPython 3.12.3". */
  interpreter: string;
  /** e.g. "GIL enabled, switch interval 5 ms" or "free-threaded: no GIL". */
  gilMode: string;
  gilEnabled: boolean;
  switchIntervalMs: number;
  observedSwitchIntervalMs: number | null;
  exitCode: number | null;
  /** The process's own run time (the trace's duration for the first process). */
  wallMs: number;
  handoffsTotal: number;
  handoffsByReason: Record<HandoffReason, number>;
  /** Indices into TimelineView.lanes, in display order. */
  lanes: number[];
  gil: GilColumns;
}

export interface RaceAccessView {
  lane: number;
  op: "read" | "write";
  instruction: string;
  file: string;
  line: number;
  timeMs: number;
}

export interface InterleavingStepView {
  lane: number;
  threadName: string;
  instruction: string;
  variable: string;
  file: string;
  line: number;
  timeMs: number;
  note: string | null;
}

export interface RaceView {
  variable: string;
  kind: "lost-update" | "unsynchronized";
  count: number;
  possibleUntraced: boolean;
  explanation: string;
  fix: string;
  accesses: RaceAccessView[];
  interleaving: InterleavingStepView[];
}

/** Where a run over its event limit dropped records (TraceGap): a hatched band across its process's rows. */
export interface GapView {
  pid: number;
  fromMs: number;
  toMs: number;
  /** "26515 events dropped (limit 2000)": the band's caption. */
  label: string;
  /** The side pane's line: when, and what kinds of events. */
  text: string;
}

/** A deadlock (src/trace/deadlocks.ts): the lanes of its cycle are marked from sinceMs to untilMs. */
export interface DeadlockView {
  /** Lane indices of the cycle's threads (-1 for a thread filtered out). */
  lanes: number[];
  sinceMs: number;
  untilMs: number;
  brokenByTimeout: boolean;
  /** "deadlock: left ⇄ right on lock_b/lock_a": the mark's caption. */
  label: string;
  /** The whole sentence: who holds and waits for which lock, at which lines. */
  text: string;
  /** Where the first thread of the cycle waits (Enter reveals it). */
  site: SiteView | null;
}

/** Everything the webview draws, built on the host from a TraceModel (src/panel/viewModel.ts). */
export interface TimelineView {
  title: string;
  durationMs: number;
  events: number;
  processes: ProcessView[];
  lanes: LaneView[];
  handoffs: HandoffColumns;
  races: RaceView[];
  deadlocks: DeadlockView[];
  gaps: GapView[];
  sites: SiteView[];
  blockKinds: string[];
  /** Plain-language conclusions, most important first. */
  verdict: string[];
  warnings: string[];
  /** Where decoding stopped early, as text, or null. */
  problem: string | null;
}

/** Where the traced run is (the extension engineer passes this to TimelinePanel.update). */
export interface RunStatus {
  state: "running" | "done" | "cancelled" | "failed";
  message?: string;
  exitCode?: number | null;
}

/** What a timeline panel keeps across reloads (vscode.setState) so the serializer can rebuild it. */
export interface TimelineState {
  kind: "timeline";
  /** Unique per panel: the key of the host's copy (src/panel/panelMemory.ts); "" in state saved before panels had one. */
  id: string;
  title: string;
  /** The trace file the panel shows now (a re-run of its script moves it to the new run's file). */
  tracePath: string | null;
  /** The threads a lens-filtered panel shows (ThreadInfo.id or name); null: all of them. */
  filterThreads: string[] | null;
  /** The script whose runs this panel shows (re-runs update it, also after a reload); null for other panels. */
  script: string | null;
}

/** One run of a compare panel, enough to rebuild its column from the run's trace file. */
export interface CompareRunState {
  label: string;
  tracePath: string;
  exitCode: number | null;
  /** The last lines the run printed (the table's "final output" row; the trace does not hold stdout). */
  output: string;
  status: RunStatus;
  /** The interpreter, for a run that left no trace to say it. */
  python: { executable: string; version: string };
}

/** What a compare panel keeps across reloads: its runs' labels, trace files and what the traces lack. */
export interface CompareState {
  kind: "compare";
  id: string;
  title: string;
  runs: CompareRunState[];
}

/** What the webview keeps across reloads (vscode.setState) so the serializers can rebuild the panel. */
export type PersistedState = TimelineState | CompareState;

/** The compare panel (issue 5): the table of differences on top, one timeline per run below it. */
export interface CompareView {
  title: string;
  /** One per run, in run order; each TimelineView.title is the run's label. */
  runs: { label: string; view: TimelineView; status: RunStatus }[];
  rows: DiffRow[];
}

export type HostToWebview =
  | { type: "model"; view: TimelineView }
  | { type: "compare"; compare: CompareView }
  | { type: "status"; status: RunStatus }
  | { type: "highlight"; file: string; line: number }
  | { type: "clearHighlight" }
  | { type: "persist"; state: PersistedState };

export type WebviewToHost =
  | { type: "ready" }
  | { type: "reveal"; file: string; line: number }
  | { type: "selectRace"; index: number };

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** Messages from the webview are untrusted input: the host checks their shape before acting. */
export function isWebviewToHost(x: unknown): x is WebviewToHost {
  if (!isRecord(x)) return false;
  switch (x.type) {
    case "ready":
      return true;
    case "reveal":
      return typeof x.file === "string" && x.file.length > 0 && Number.isInteger(x.line) && (x.line as number) >= 1;
    case "selectRace":
      return Number.isInteger(x.index) && (x.index as number) >= 0;
    default:
      return false;
  }
}

/** The webview checks host messages too, so a malformed one is ignored rather than half-drawn. */
export function isHostToWebview(x: unknown): x is HostToWebview {
  if (!isRecord(x)) return false;
  switch (x.type) {
    case "model":
      return isRecord(x.view) && Array.isArray(x.view.lanes) && Array.isArray(x.view.processes);
    case "compare":
      return isRecord(x.compare) && Array.isArray(x.compare.runs) && Array.isArray(x.compare.rows) &&
        x.compare.runs.every((r) => isRecord(r) && typeof r.label === "string" && isRecord(r.view) && Array.isArray(r.view.lanes));
    case "status":
      return isRecord(x.status) && typeof x.status.state === "string";
    case "highlight":
      return typeof x.file === "string" && Number.isInteger(x.line);
    case "clearHighlight":
      return true;
    case "persist":
      return isRecord(x.state) && typeof x.state.title === "string";
    default:
      return false;
  }
}

const RUN_STATES: readonly RunStatus["state"][] = ["running", "done", "cancelled", "failed"];

function asRunStatus(x: unknown): RunStatus {
  if (!isRecord(x) || !RUN_STATES.includes(x.state as RunStatus["state"])) return { state: "done" };
  const status: RunStatus = { state: x.state as RunStatus["state"] };
  if (typeof x.message === "string") status.message = x.message;
  if (typeof x.exitCode === "number" || x.exitCode === null) status.exitCode = x.exitCode;
  return status;
}

function asCompareRun(x: unknown): CompareRunState | null {
  if (!isRecord(x) || typeof x.label !== "string" || typeof x.tracePath !== "string" || x.tracePath === "") return null;
  const python = isRecord(x.python) ? x.python : {};
  return {
    label: x.label,
    tracePath: x.tracePath,
    exitCode: Number.isInteger(x.exitCode) ? (x.exitCode as number) : null,
    output: typeof x.output === "string" ? x.output : "",
    status: asRunStatus(x.status),
    python: {
      executable: typeof python.executable === "string" ? python.executable : "",
      version: typeof python.version === "string" ? python.version : "",
    },
  };
}

/**
 * Persisted state from a previous session, or null if it does not look like ours. State saved
 * before panels had ids and filters ({title, tracePath}) reads as an unfiltered timeline.
 */
export function asPersistedState(x: unknown): PersistedState | null {
  if (!isRecord(x) || typeof x.title !== "string") return null;
  const id = typeof x.id === "string" ? x.id : "";
  if (x.kind === "compare") {
    const given: unknown[] = Array.isArray(x.runs) ? x.runs : [];
    const runs = given.map(asCompareRun).filter((r): r is CompareRunState => r !== null);
    if (runs.length < 2 || runs.length !== given.length) return null;
    return { kind: "compare", id, title: x.title, runs };
  }
  if (x.kind !== undefined && x.kind !== "timeline") return null;
  const tracePath = typeof x.tracePath === "string" ? x.tracePath : null;
  const filter = x.filterThreads;
  const filterThreads = Array.isArray(filter) && filter.every((t) => typeof t === "string") ? (filter as string[]) : null;
  const script = typeof x.script === "string" && x.script !== "" ? x.script : null;
  return { kind: "timeline", id, title: x.title, tracePath, filterThreads, script };
}
