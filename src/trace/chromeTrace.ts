// Chrome Trace Event export (issue 5): the TraceModel as JSON that Perfetto and chrome://tracing open.
// Pure: built from the model only, no vscode import. Times in the model are ms since the trace start;
// Chrome events take microseconds.
import { gapLabel } from "./summaryText";
import { BLOCK_KINDS, STATE_CODES, type TraceModel } from "./types";

export interface ChromeEvent {
  name: string;
  ph: "X" | "M" | "s" | "f" | "i";
  pid: number;
  tid: number;
  ts: number;
  cat?: string;
  dur?: number;
  id?: number;
  bp?: "e";
  s?: "t" | "p" | "g";
  args?: Record<string, string | number | boolean | null>;
}

export interface ChromeTrace {
  traceEvents: ChromeEvent[];
  displayTimeUnit: "ms";
  otherData: Record<string, string | number | boolean | null>;
}

const us = (ms: number): number => Math.round(ms * 1000 * 1000) / 1000;

/** The trace as Chrome Trace Event JSON (object form). */
export function chromeTrace(model: TraceModel): ChromeTrace {
  const events: ChromeEvent[] = [];
  const tidOf = new Map<string, { pid: number; tid: number }>();
  for (const t of model.threads) tidOf.set(t.id, { pid: t.pid, tid: t.index });

  for (const p of model.processes) {
    const label = `${p.script ?? "python"} (pid ${p.pid}, ${p.python.implementation} ${p.python.version})`;
    events.push({ name: "process_name", ph: "M", pid: p.pid, tid: 0, ts: 0, args: { name: label } });
  }
  // Processes that only appear through their threads still get a name.
  const named = new Set(model.processes.map((p) => p.pid));
  for (const t of model.threads) {
    if (!named.has(t.pid)) {
      named.add(t.pid);
      events.push({ name: "process_name", ph: "M", pid: t.pid, tid: 0, ts: 0, args: { name: `pid ${t.pid}` } });
    }
  }
  for (const t of model.threads) {
    events.push({ name: "thread_name", ph: "M", pid: t.pid, tid: t.index, ts: 0, args: { name: t.name } });
    events.push({ name: "thread_sort_index", ph: "M", pid: t.pid, tid: t.index, ts: 0, args: { sort_index: t.index } });
  }

  // Intervals: running slices as "gil", waiting/blocked in their own categories.
  for (const t of model.threads) {
    const tl = model.timelines.get(t.id);
    if (!tl) continue;
    for (let i = 0; i < tl.start.length; i++) {
      const state = STATE_CODES[tl.state[i]] ?? "running";
      const ts = us(tl.start[i]);
      const dur = Math.max(0, us(tl.end[i]) - ts);
      const site = tl.site[i] >= 0 ? model.sites[tl.site[i]] : undefined;
      const args: Record<string, string | number> = {};
      if (site) {
        args.file = site.file;
        args.line = site.line;
        args.function = site.function;
      }
      if (state === "running") {
        events.push({ name: "GIL held", cat: "gil", ph: "X", pid: t.pid, tid: t.index, ts, dur, args });
      } else if (state === "waiting") {
        events.push({ name: "waiting for GIL", cat: "waiting", ph: "X", pid: t.pid, tid: t.index, ts, dur, args });
      } else {
        const kind = BLOCK_KINDS[tl.blockKind[i]] ?? "other";
        events.push({ name: `blocked: ${kind}`, cat: "blocked", ph: "X", pid: t.pid, tid: t.index, ts, dur, args: { ...args, blockKind: kind } });
      }
    }
  }

  // Handoffs as flows: start on the releasing thread, finish on the receiving one (binding to the
  // enclosing slice, bp "e"). A handoff from a free GIL has no source thread: no flow.
  let flowId = 0;
  for (const h of model.handoffs) {
    const from = h.from === null ? undefined : tidOf.get(h.from);
    const to = tidOf.get(h.to);
    if (!from || !to) continue;
    const id = ++flowId;
    const ts = us(h.timeMs);
    const args: Record<string, string | number> = { reason: h.reason, from: h.from ?? "", to: h.to };
    if (h.site) {
      args.file = h.site.file;
      args.line = h.site.line;
    }
    // The start sits just inside the releasing thread's last running slice before the handoff.
    const startTs = flowStart(model, h.from ?? "", h.timeMs);
    events.push({ name: "GIL handoff", cat: "handoff", ph: "s", id, pid: from.pid, tid: from.tid, ts: Math.min(startTs, ts), args });
    events.push({ name: "GIL handoff", cat: "handoff", ph: "f", bp: "e", id, pid: to.pid, tid: to.tid, ts, args });
  }

  // Race points: an instant on each access's thread and time.
  for (const r of model.races) {
    for (const a of r.accesses) {
      const where = tidOf.get(a.thread);
      if (!where) continue;
      events.push({
        name: `race: ${r.variable}`,
        cat: "race",
        ph: "i",
        s: "t",
        pid: where.pid,
        tid: where.tid,
        ts: us(a.timeMs),
        args: { variable: r.variable, kind: r.kind, op: a.op, instruction: a.instruction, file: a.file, line: a.line, count: r.count },
      });
    }
  }

  // Gaps of a run over its event limit: a slice on the main thread's track, where no interval is.
  for (const g of model.gaps) {
    const ts = us(g.fromMs);
    events.push({
      name: gapLabel(g), cat: "gap", ph: "X", pid: g.pid, tid: 0, ts, dur: Math.max(0, us(g.toMs) - ts),
      args: { ...g.byKind, dropped: g.dropped, limit: g.limit },
    });
  }

  const first = model.processes[0];
  return {
    traceEvents: events,
    displayTimeUnit: "ms",
    otherData: {
      generator: "gil-timeline",
      script: first?.script ?? null,
      python: first ? `${first.python.implementation} ${first.python.version}` : null,
      durationMs: model.durationMs,
      events: model.events,
      threads: model.threads.length,
      races: model.races.length,
      dropped: model.dropped,
      problem: model.problem?.message ?? null,
    },
  };
}

/** A time (µs) inside `thread`'s last running slice that began at or before `timeMs`. */
function flowStart(model: TraceModel, thread: string, timeMs: number): number {
  const fallback = Math.max(0, us(timeMs) - 0.001);
  const tl = model.timelines.get(thread);
  if (!tl) return fallback;
  let lo = 0;
  let hi = tl.start.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (tl.start[mid] <= timeMs) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  for (let i = found; i >= 0; i--) {
    if (tl.state[i] !== 0) continue;
    const start = us(tl.start[i]);
    const end = Math.min(us(tl.end[i]), us(timeMs));
    return Math.max(start, end - 0.001);
  }
  return fallback;
}

/** The export as text for a file. */
export function chromeTraceJson(model: TraceModel): string {
  return JSON.stringify(chromeTrace(model)) + "\n";
}
