// From the decoder's event store to the TraceModel every view reads: threads, their states over
// time (running / waiting for the GIL / blocked), GIL slices and handoffs with reasons.
//
// Record order within a process is the truth (docs/trace-format.md): a change of writing thread
// between two consecutive records is a GIL handoff. Timestamps are clamped to be non-decreasing per
// process (which implies per thread), so a record whose timestamp was taken before a preemption
// inside a tracer callback cannot move a handoff backwards.
//
// ModelBuilder folds records once and can continue where it stopped (the live view feeds it the
// growing store); model() snapshots without changing the fold.
import { BLOCKED, IntervalBuilder, NONE, RUNNING, WAITING } from "./intervals";
import { findDeadlocks } from "./deadlocks";
import { parallelThreads } from "./noGil";
import { findRaces } from "./races";
import { splitGilWaits } from "./syscallSamples";
import { BlockCode, GapFlag, NO_THREAD, Rec, ThreadFlag, hi32, lo32 } from "./records";
import type { EventStore, ProcessTable } from "./store";
import type {
  Handoff, HandoffReason, ProcessInfo, ScriptError, SourceSite, ThreadInfo, ThreadTimeline, TraceGap, TraceModel,
} from "./types";

export interface ModelOptions {
  /** Run the race analysis (default true). */
  races?: boolean;
}

const HANDOFF_REASONS: readonly HandoffReason[] = ["blocking", "preempted", "threadExit", "threadStart", "lockWait"];

export function zeroHandoffCounts(): Record<HandoffReason, number> {
  return { blocking: 0, preempted: 0, threadExit: 0, threadStart: 0, lockWait: 0 };
}

interface ThreadBuild {
  info: ThreadInfo;
  intervals: IntervalBuilder;
  ended: boolean;
  lastKind: number;
  lastBlockKind: number;
  /** Last site id (per process) this thread was seen at. */
  lastSite: number;
}

interface ProcessBuild {
  table: ProcessTable;
  threads: Map<number, ThreadBuild>;
  /** Thread index that wrote the last record, or -1. */
  holder: number;
  lastNs: number;
  handoffs: Record<HandoffReason, number>;
  preemptedSlicesMs: number[];
  /** Global site index per process site id. */
  siteIndex: Map<number, number>;
  dropped: number;
  /** The gap the records are in (between GAP begin and end), or null. */
  gap: { fromMs: number; limit: number } | null;
  gaps: TraceGap[];
}

export class ModelBuilder {
  private next = 0;
  private t0Ns: number | null = null;
  private readonly procs: ProcessBuild[] = [];
  private readonly handoffs: Handoff[] = [];
  private readonly sites: SourceSite[] = [];
  private readonly marks = new Set<string>();

  /** Fold the records the store gained since the last call. */
  feed(store: EventStore): this {
    for (let p = this.procs.length; p < store.processes.length; p++) this.procs.push(newProcess(store.processes[p]));
    if (this.t0Ns === null && store.processes.length > 0) this.t0Ns = store.processes[0].header.startNs;
    const { kind, flags, thread, a, ts, b, proc } = store;
    for (let i = this.next; i < store.count; i++) {
      const P = this.procs[proc[i]];
      const k = kind[i];
      const t = thread[i];
      if (t === NO_THREAD) {
        if (k === Rec.GAP) this.gap(P, flags[i], a[i], ts[i], b[i]);
        else this.diagnostic(P, k, a[i]);
        continue;
      }
      const ns = Math.max(ts[i], P.lastNs);
      P.lastNs = ns;
      const ms = this.ms(ns);
      const th = this.thread(P, t, ms);
      if (t !== P.holder && !P.gap) this.handoff(P, th, k, ms);
      this.apply(P, th, k, flags[i], a[i], b[i], ms);
    }
    this.next = store.count;
    return this;
  }

  /**
   * The model as of the records fed so far. The race analysis reruns over the whole store, so a
   * live view that snapshots often may skip it (`races: false`) until the run ends.
   */
  model(store: EventStore, options: ModelOptions = {}): TraceModel {
    const threads: ThreadInfo[] = [];
    const timelines = new Map<string, ThreadTimeline>();
    const processes: ProcessInfo[] = [];
    const gaps: TraceGap[] = [];
    let dropped = 0;
    let durationMs = 0;
    for (const P of this.procs) {
      const end = P.table.end;
      const endMs = end ? this.ms(Math.max(end.endNs, P.lastNs)) : this.ms(P.lastNs);
      durationMs = Math.max(durationMs, endMs);
      const ids: string[] = [];
      const sampled = store.samples.get(P.table.pid);
      for (const th of [...P.threads.values()].sort((x, y) => x.info.index - y.info.index)) {
        const { ms, slices } = th.intervals.totalsAt(endMs);
        let timeline = th.intervals.timelineAt(endMs);
        const samples = sampled?.threads.get(th.info.nativeId);
        if (sampled && samples) {
          const split = splitGilWaits(timeline, samples, sampled.machine, (ns) => this.ms(ns));
          timeline = split.timeline;
          ms[WAITING] += split.movedMs;
          ms[BLOCKED] -= split.movedMs;
        }
        threads.push({
          ...th.info,
          endMs: th.info.endMs ?? (end ? endMs : null),
          runningMs: ms[RUNNING],
          waitingMs: ms[WAITING],
          blockedMs: ms[BLOCKED],
          slices,
        });
        timelines.set(th.info.id, timeline);
        ids.push(th.info.id);
      }
      processes.push(this.processInfo(P, ids, endMs));
      gaps.push(...P.gaps);
      if (P.gap) gaps.push({ pid: P.table.pid, ...P.gap, toMs: endMs, dropped: P.dropped, byKind: {} });
      dropped += droppedOf(P);
    }
    return parallelThreads({
      processes,
      threads,
      timelines,
      handoffs: this.handoffs.slice(),
      races: options.races === false ? [] : findRaces(store, this.t0Ns ?? undefined),
      gaps,
      dropped,
      deadlocks: findDeadlocks(store, threads, this.t0Ns ?? 0),
      sites: this.sites.slice(),
      durationMs,
      events: store.count,
      problem: store.problem,
      warnings: this.warnings(store),
    });
  }

  private ms(ns: number): number {
    return (ns - (this.t0Ns ?? ns)) / 1e6;
  }

  private thread(P: ProcessBuild, index: number, ms: number): ThreadBuild {
    let th = P.threads.get(index);
    if (!th) {
      const pid = P.table.pid;
      th = {
        info: {
          id: `${pid}:${index}`, pid, index, nativeId: 0, name: index === 0 ? "MainThread" : `Thread-${index}`,
          target: null, daemon: false, startMs: ms, endMs: null, runningMs: 0, waitingMs: 0, blockedMs: 0, slices: 0,
          exception: null,
        },
        intervals: new IntervalBuilder(),
        ended: false,
        lastKind: 0,
        lastBlockKind: 0,
        lastSite: 0,
      };
      P.threads.set(index, th);
    }
    return th;
  }

  private handoff(P: ProcessBuild, to: ThreadBuild, kind: number, ms: number): void {
    const from = P.holder >= 0 ? P.threads.get(P.holder) : undefined;
    P.holder = to.info.index;
    if (from) {
      const reason = handoffReason(from, kind);
      P.handoffs[reason]++;
      if (reason === "preempted" && from.intervals.openState === RUNNING) P.preemptedSlicesMs.push(ms - from.intervals.openStart);
      // The previous holder is still runnable unless it blocked or ended: it now waits for the GIL.
      if (from.intervals.openState === RUNNING) from.intervals.enter(WAITING, ms, 0, this.site(P, from.lastSite));
      this.handoffs.push({
        timeMs: ms, pid: P.table.pid, from: from.info.id, to: to.info.id, reason, site: P.table.site(from.lastSite),
      });
    }
  }

  private apply(P: ProcessBuild, th: ThreadBuild, kind: number, flags: number, a: number, b: number, ms: number): void {
    const iv = th.intervals;
    switch (kind) {
      case Rec.THREAD_START:
        th.info.nativeId = a;
        th.info.daemon = (flags & ThreadFlag.daemon) !== 0;
        th.info.name = P.table.string(lo32(b)) || th.info.name;
        th.info.target = (flags & ThreadFlag.main) !== 0 ? null : codeSite(P.table, hi32(b));
        break;
      case Rec.THREAD_SPAWN: {
        // The child is runnable from here: it waits for the GIL until its THREAD_START.
        const child = this.thread(P, a, ms);
        if (child.intervals.openState === NONE && !child.ended && !P.gap) child.intervals.enter(WAITING, ms);
        break;
      }
      case Rec.THREAD_END:
        iv.close(ms);
        th.ended = true;
        th.info.endMs = ms;
        break;
      case Rec.BLOCK_ENTER:
        th.lastSite = a;
        th.lastBlockKind = flags;
        if (!P.gap) iv.enter(BLOCKED, ms, flags, this.site(P, a));
        break;
      case Rec.EXCEPTION: {
        const site = P.table.site(a);
        th.info.exception = {
          type: P.table.string(lo32(b)), message: P.table.string(hi32(b)), file: site?.file ?? null, line: site?.line ?? null,
        };
        break;
      }
      case Rec.THREAD_NAME:
        th.info.name = P.table.string(a);
        break;
      case Rec.MARK:
      case Rec.DROPPED:
        this.diagnostic(P, kind, a);
        break;
      case Rec.BLOCK_EXIT: // `a` is the outcome, not a site
      case Rec.PROCESS_SPAWN:
      case Rec.THREAD_JOINED:
        break;
      default:
        // RUN, lock, sync and access records: `a` is the site the thread was seen at.
        if (a > 0) th.lastSite = a;
    }
    // Any record other than the two that change it says the thread holds the GIL and runs (not
    // known inside a gap, where only race-relevant records were kept).
    if (kind !== Rec.BLOCK_ENTER && kind !== Rec.THREAD_END && !th.ended && !P.gap) iv.enter(RUNNING, ms, 0, this.site(P, th.lastSite));
    th.lastKind = kind;
  }

  /**
   * GAP begin: every thread's interval ends where the dropped records start, and no handoff is
   * inferred until the gap ends. GAP end: the gap, with what it dropped.
   */
  private gap(P: ProcessBuild, flags: number, a: number, ts: number, b: number): void {
    const ns = Math.max(ts, P.lastNs);
    P.lastNs = ns;
    const ms = this.ms(ns);
    if (flags === GapFlag.begin) {
      for (const th of P.threads.values()) th.intervals.close(ms);
      P.holder = -1;
      P.gap = { fromMs: ms, limit: a };
    } else if (flags === GapFlag.end && P.gap) {
      P.gaps.push({ pid: P.table.pid, ...P.gap, toMs: ms, dropped: a, byKind: kindCounts(P.table.string(b)) });
      P.gap = null;
    }
  }

  private diagnostic(P: ProcessBuild, kind: number, a: number): void {
    if (kind === Rec.DROPPED) P.dropped += a;
    else if (kind === Rec.MARK) this.marks.add(P.table.string(a));
  }

  /** Global index of a process's site id (sites are added on first use), or -1. */
  private site(P: ProcessBuild, id: number): number {
    if (id <= 0) return -1;
    let index = P.siteIndex.get(id);
    if (index === undefined) {
      const site = P.table.site(id);
      index = site ? this.sites.push(site) - 1 : -1;
      P.siteIndex.set(id, index);
    }
    return index;
  }

  private processInfo(P: ProcessBuild, threads: string[], endMs: number): ProcessInfo {
    const h = P.table.header;
    const end = P.table.end;
    return {
      pid: P.table.pid,
      parentPid: h.parentPid ?? null,
      python: { ...h.python, switchIntervalS: h.switchIntervalS, mechanism: h.mechanism },
      script: h.script,
      startMs: this.ms(h.startNs),
      endMs: end ? endMs : null,
      exitCode: end ? end.exitCode : null,
      threads,
      handoffs: { total: HANDOFF_REASONS.reduce((s, r) => s + P.handoffs[r], 0), byReason: { ...P.handoffs } },
      observedSwitchIntervalMs: median(P.preemptedSlicesMs),
      error: end?.error ? scriptError(end.error) : null,
      signal: end?.signal ?? null,
      target: h.target,
      tasks: h.tasks,
    };
  }

  private warnings(store: EventStore): string[] {
    const out: string[] = [];
    if (store.problem) out.push(`decoding stopped at byte ${store.problem.byteOffset}: ${store.problem.message}`);
    for (const P of this.procs) {
      if (!P.table.end) out.push(`process ${P.table.pid} has no end record: it was killed or is still running`);
      if (!P.table.header.python.gilEnabled) {
        out.push(
          `process ${P.table.pid} ran with the GIL disabled (free-threaded): threads ran in parallel, drawn as parallel lanes (running or blocked) with no GIL row and no handoffs`,
        );
      }
      const dropped = droppedOf(P);
      if (dropped > 0) out.push(`process ${P.table.pid}: ${dropped} records dropped at the tracer's event limit`);
    }
    if (store.unknownRecords > 0) out.push(`${store.unknownRecords} records of unknown kinds skipped`);
    for (const m of this.marks) if (m) out.push(m);
    return out;
  }
}

function newProcess(table: ProcessTable): ProcessBuild {
  return {
    table, threads: new Map(), holder: -1, lastNs: table.header.startNs,
    handoffs: zeroHandoffCounts(),
    preemptedSlicesMs: [], siteIndex: new Map(), dropped: 0, gap: null, gaps: [],
  };
}

/** The DROPPED records add up to the end record's count; a killed run has only the records. */
function droppedOf(P: ProcessBuild): number {
  return Math.max(P.dropped, P.table.end?.dropped ?? 0);
}

/** A GAP end's counts by kind: a JSON object of non-negative integers, anything else ignored. */
function kindCounts(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return out;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return out;
  for (const [kind, n] of Object.entries(parsed)) if (Number.isSafeInteger(n) && n >= 0) out[kind] = n as number;
  return out;
}

function handoffReason(from: ThreadBuild, newKind: number): HandoffReason {
  if (from.lastKind === Rec.BLOCK_ENTER) return from.lastBlockKind === BlockCode.lock ? "lockWait" : "blocking";
  if (from.lastKind === Rec.THREAD_END) return "threadExit";
  if (newKind === Rec.THREAD_START) return "threadStart";
  return "preempted";
}

/** A thread target: the code object's file, first line and qualified name. */
function codeSite(table: ProcessTable, codeId: number): SourceSite | null {
  const code = table.codes[codeId];
  if (!code) return null;
  return { file: table.string(code.file), line: code.firstLine, function: table.string(code.name) };
}

function scriptError(e: ScriptError): ScriptError {
  return { type: e.type, message: e.message, file: e.file ?? null, line: e.line ?? null };
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = values.slice().sort((x, y) => x - y);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The whole model of a decoded store. */
export function buildModel(store: EventStore, options: ModelOptions = {}): TraceModel {
  return new ModelBuilder().feed(store).model(store, options);
}
