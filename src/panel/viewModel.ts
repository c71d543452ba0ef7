// TraceModel -> TimelineView: what the webview draws, as plain JSON (typed arrays become number
// arrays, thread ids become lane indices, sites are interned into one table). Pure, no vscode.
import {
  HANDOFF_REASONS,
  type DeadlockView,
  type GilColumns,
  type HandoffColumns,
  type IntervalColumns,
  type LaneView,
  type ProcessView,
  type RaceView,
  type SiteView,
  type TimelineView,
} from "../protocol";
import { BLOCK_KINDS, type ProcessInfo, type SourceSite, type ThreadInfo, type ThreadTimeline, type TraceModel } from "../trace/types";
import { deadlockLabel, deadlockText } from "../trace/deadlockText";
import { gapLabel, gapText } from "../trace/summaryText";
import { verdictFor } from "./verdict";

export interface ViewOptions {
  title: string;
  /** Keep only these threads (by ThreadInfo.id or name); empty or absent = all. */
  filterThreads?: string[];
}

/** Interns SourceSites into the view's one site table. */
class SiteTable {
  readonly sites: SiteView[] = [];
  private readonly byKey = new Map<string, number>();

  add(site: SourceSite | null | undefined): number {
    if (!site) return -1;
    const key = `${site.file}\u0000${site.line}\u0000${site.function}\u0000${site.instruction ?? ""}`;
    let id = this.byKey.get(key);
    if (id === undefined) {
      id = this.sites.length;
      this.sites.push(toSiteView(site));
      this.byKey.set(key, id);
    }
    return id;
  }
}

function toSiteView(s: SourceSite): SiteView {
  const v: SiteView = { file: s.file, line: s.line, function: s.function };
  if (s.instruction !== undefined) v.instruction = s.instruction;
  return v;
}

function intervalColumns(tl: ThreadTimeline | undefined, siteIds: number[]): IntervalColumns {
  if (!tl) return { start: [], end: [], state: [], blockKind: [], site: [] };
  const site = new Array<number>(tl.site.length);
  for (let i = 0; i < tl.site.length; i++) site[i] = tl.site[i] >= 0 ? (siteIds[tl.site[i]] ?? -1) : -1;
  return { start: Array.from(tl.start), end: Array.from(tl.end), state: Array.from(tl.state), blockKind: Array.from(tl.blockKind), site };
}

function laneView(t: ThreadInfo, model: TraceModel, table: SiteTable, siteIds: number[]): LaneView {
  const life = Math.max((t.endMs ?? model.durationMs) - t.startMs, 0);
  return {
    id: t.id,
    pid: t.pid,
    index: t.index,
    name: t.name,
    target: t.target ? `${t.target.function}()` : null,
    targetSite: t.target ? (table.sites[table.add(t.target)] ?? null) : null,
    startMs: t.startMs,
    endMs: t.endMs,
    runningMs: t.runningMs,
    waitingMs: t.waitingMs,
    blockedMs: t.blockedMs,
    gilShare: life > 0 ? Math.min(t.runningMs / life, 1) : 0,
    slices: t.slices,
    exception: t.exception ? `${t.exception.type}: ${t.exception.message}` : null,
    intervals: intervalColumns(model.timelines.get(t.id), siteIds),
  };
}

/** Who held each process's GIL: the union of its lanes' running intervals, in time order. */
export function gilColumns(lanes: LaneView[], laneIndices: number[]): GilColumns {
  const spans: [number, number, number][] = [];
  for (const li of laneIndices) {
    const iv = lanes[li].intervals;
    for (let i = 0; i < iv.start.length; i++) if (iv.state[i] === 0) spans.push([iv.start[i], iv.end[i], li]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  return { start: spans.map((s) => s[0]), end: spans.map((s) => s[1]), lane: spans.map((s) => s[2]) };
}

function formatSeconds(s: number): string {
  const ms = s * 1000;
  return ms >= 1 ? `${+ms.toFixed(3)} ms` : `${+(ms * 1000).toFixed(3)} us`;
}

function gilMode(p: ProcessInfo): string {
  if (p.python.gilEnabled) return `GIL enabled (one per process), switch interval ${formatSeconds(p.python.switchIntervalS)}`;
  return p.python.freeThreaded ? "free-threaded build: GIL disabled, threads run in parallel" : "GIL disabled";
}

/** sys.implementation.name as people write it. */
const IMPLEMENTATIONS: Record<string, string> = { cpython: "CPython", pypy: "PyPy" };

function processView(p: ProcessInfo, lanes: LaneView[], durationMs: number): ProcessView {
  const mine = lanes.map((l, i) => (l.pid === p.pid ? i : -1)).filter((i) => i >= 0);
  return {
    pid: p.pid,
    parentPid: p.parentPid,
    script: p.script,
    interpreter: `${IMPLEMENTATIONS[p.python.implementation] ?? p.python.implementation} ${p.python.version}`,
    gilMode: gilMode(p),
    gilEnabled: p.python.gilEnabled,
    switchIntervalMs: p.python.switchIntervalS * 1000,
    observedSwitchIntervalMs: p.observedSwitchIntervalMs,
    exitCode: p.exitCode,
    wallMs: Math.max((p.endMs ?? durationMs) - p.startMs, 0),
    handoffsTotal: p.handoffs.total,
    handoffsByReason: { ...p.handoffs.byReason },
    lanes: mine,
    gil: p.python.gilEnabled ? gilColumns(lanes, mine) : { start: [], end: [], lane: [] },
  };
}

function handoffColumns(model: TraceModel, laneOf: Map<string, number>, table: SiteTable): HandoffColumns {
  const out: HandoffColumns = { time: [], from: [], to: [], reason: [], site: [] };
  // The webview binary-searches handoffs by time; several processes' handoffs may interleave.
  const sorted = [...model.handoffs].sort((a, b) => a.timeMs - b.timeMs);
  for (const h of sorted) {
    const to = laneOf.get(h.to);
    if (to === undefined) continue;
    out.time.push(h.timeMs);
    out.from.push(h.from === null ? -1 : (laneOf.get(h.from) ?? -1));
    out.to.push(to);
    out.reason.push(Math.max(HANDOFF_REASONS.indexOf(h.reason), 0));
    out.site.push(table.add(h.site));
  }
  return out;
}

function raceViews(model: TraceModel, laneOf: Map<string, number>): RaceView[] {
  const nameOf = new Map(model.threads.map((t) => [t.id, t.name]));
  return model.races.map((r) => ({
    variable: r.variable,
    kind: r.kind,
    count: r.count,
    possibleUntraced: r.possibleUntraced,
    explanation: r.explanation,
    fix: r.fix,
    accesses: r.accesses.map((a) => ({
      lane: laneOf.get(a.thread) ?? -1,
      op: a.op,
      instruction: a.instruction,
      file: a.file,
      line: a.line,
      timeMs: a.timeMs,
    })),
    interleaving: r.interleaving.map((s) => ({
      lane: laneOf.get(s.thread) ?? -1,
      threadName: nameOf.get(s.thread) ?? s.thread,
      instruction: s.instruction,
      variable: s.variable,
      file: s.file,
      line: s.line,
      timeMs: s.timeMs,
      note: s.note ?? null,
    })),
  }));
}

function deadlockViews(model: TraceModel, laneOf: Map<string, number>): DeadlockView[] {
  return model.deadlocks.map((d) => {
    const at = d.threads[0]?.waitsAt;
    return {
      lanes: d.threads.map((t) => laneOf.get(t.thread) ?? -1),
      sinceMs: d.sinceMs,
      untilMs: d.untilMs,
      brokenByTimeout: d.brokenByTimeout,
      label: deadlockLabel(d),
      text: deadlockText(d),
      site: at ? toSiteView(at) : null,
    };
  });
}

function selectedThreads(model: TraceModel, filter: string[] | undefined): ThreadInfo[] {
  const keep = filter && filter.length > 0 ? new Set(filter) : null;
  const order = new Map(model.processes.map((p, i) => [p.pid, i]));
  return model.threads
    .filter((t) => !keep || keep.has(t.id) || keep.has(t.name))
    .sort((a, b) => (order.get(a.pid) ?? 0) - (order.get(b.pid) ?? 0) || a.index - b.index);
}

export function buildTimelineView(model: TraceModel, opts: ViewOptions): TimelineView {
  const table = new SiteTable();
  const siteIds = model.sites.map((s) => table.add(s));
  const lanes = selectedThreads(model, opts.filterThreads).map((t) => laneView(t, model, table, siteIds));
  const laneOf = new Map(lanes.map((l, i) => [l.id, i]));
  return {
    title: opts.title,
    durationMs: model.durationMs,
    events: model.events,
    processes: model.processes.map((p) => processView(p, lanes, model.durationMs)).filter((p) => p.lanes.length > 0),
    lanes,
    handoffs: handoffColumns(model, laneOf, table),
    races: raceViews(model, laneOf),
    gaps: model.gaps.map((g) => ({ pid: g.pid, fromMs: g.fromMs, toMs: g.toMs, label: gapLabel(g), text: gapText(g) })),
    deadlocks: deadlockViews(model, laneOf),
    sites: table.sites,
    blockKinds: [...BLOCK_KINDS],
    verdict: verdictFor(model),
    warnings: [...model.warnings],
    problem: model.problem ? `${model.problem.kind} at byte ${model.problem.byteOffset}: ${model.problem.message}` : null,
  };
}
