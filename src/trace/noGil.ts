// Processes that ran with the GIL disabled (a free-threaded build, 3.13t+): there is no GIL to wait
// for or to hand off, so the record-order "waiting" of a runnable thread is time it ran in parallel.
// Their threads become parallel lanes (running or blocked) and their handoffs are dropped; processes
// with a GIL are left as they are. Tested against recorded traces only (test/fixtures/free-threaded/).
import { STATE_CODES, type ThreadTimeline, type TraceModel } from "./types";

const RUNNING = STATE_CODES.indexOf("running");
const WAITING = STATE_CODES.indexOf("waiting");

function withoutWaits(t: ThreadTimeline): ThreadTimeline {
  const state = t.state.map((s) => (s === WAITING ? RUNNING : s));
  return { ...t, state };
}

export function parallelThreads(model: TraceModel): TraceModel {
  const free = new Set(model.processes.filter((p) => !p.python.gilEnabled).map((p) => p.pid));
  if (free.size === 0) return model;
  const timelines = new Map(model.timelines);
  for (const t of model.threads) {
    const timeline = timelines.get(t.id);
    if (free.has(t.pid) && timeline) timelines.set(t.id, withoutWaits(timeline));
  }
  return {
    ...model,
    processes: model.processes.map((p) =>
      free.has(p.pid)
        ? {
            ...p,
            handoffs: { total: 0, byReason: Object.fromEntries(Object.keys(p.handoffs.byReason).map((r) => [r, 0])) as typeof p.handoffs.byReason },
            observedSwitchIntervalMs: null,
          }
        : p,
    ),
    threads: model.threads.map((t) => (free.has(t.pid) ? { ...t, runningMs: t.runningMs + t.waitingMs, waitingMs: 0 } : t)),
    timelines,
    handoffs: model.handoffs.filter((h) => !free.has(h.pid)),
  };
}
