// Plain-language conclusions about a trace, the sentences a student should take away.
// Pure: reads the model's per-thread totals, and the intervals only to tell what blocked threads wait on.
import { deadlockText } from "../trace/deadlockText";
import { BLOCK_KINDS, type BlockKind, type ProcessInfo, type ThreadInfo, type TraceModel } from "../trace/types";

/** A worker is CPU-bound when it holds or wants the GIL for most of its life. */
const CPU_BOUND_SHARE = 0.7;
/** ... and blocking-bound when it mostly sleeps or waits on I/O, locks, joins. */
const BLOCKED_SHARE = 0.6;

function lifetimeMs(t: ThreadInfo, durationMs: number): number {
  return Math.max((t.endMs ?? durationMs) - t.startMs, 1e-9);
}

function workers(model: TraceModel, p: ProcessInfo): ThreadInfo[] {
  const own = model.threads.filter((t) => t.pid === p.pid);
  const nonMain = own.filter((t) => t.index !== 0);
  return nonMain.length > 0 ? nonMain : own;
}

/** Waiting on these means waiting for another thread of the program, not for the outside world. */
const SYNC_KINDS: ReadonlySet<BlockKind> = new Set(["lock", "semaphore", "conditionWait", "barrier"]);

/** Share of the threads' blocked time spent on locks and similar synchronisation. */
function syncShare(model: TraceModel, ts: ThreadInfo[]): number {
  let sync = 0;
  let total = 0;
  for (const t of ts) {
    const tl = model.timelines.get(t.id);
    if (!tl) continue;
    for (let i = 0; i < tl.state.length; i++) {
      if (tl.state[i] !== 2) continue;
      const ms = tl.end[i] - tl.start[i];
      total += ms;
      if (SYNC_KINDS.has(BLOCK_KINDS[tl.blockKind[i]] ?? "other")) sync += ms;
    }
  }
  return total > 0 ? sync / total : 0;
}

function formatMs(ms: number): string {
  return ms >= 10 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(1) : ms.toFixed(2);
}

function processVerdict(model: TraceModel, p: ProcessInfo): string[] {
  const ws = workers(model, p);
  if (!p.python.gilEnabled) {
    return ["Free-threaded build: no GIL, threads run in parallel; unsynchronized read-modify-writes can lose updates."];
  }
  const out: string[] = [];
  const cpu = ws.filter((t) => (t.runningMs + t.waitingMs) / lifetimeMs(t, model.durationMs) >= CPU_BOUND_SHARE);
  const blocked = ws.filter((t) => t.blockedMs / lifetimeMs(t, model.durationMs) >= BLOCKED_SHARE);
  if (cpu.length >= 2) {
    const preempted = p.handoffs.byReason.preempted;
    const every = p.observedSwitchIntervalMs !== null ? `, a handoff about every ${formatMs(p.observedSwitchIntervalMs)} ms` : "";
    out.push(
      `CPU-bound threads: no speed-up under the GIL; processes or a free-threaded build would run them in parallel. ` +
        `${cpu.length} threads took turns (${preempted} preempted handoffs${every}).`,
    );
  }
  // Threads in a deadlock are blocked, but neither queueing nor overlapping: the deadlock verdict says it.
  const deadlocked = model.deadlocks.some((d) => d.pid === p.pid);
  if (deadlocked) return out;
  if (blocked.length >= 2 && syncShare(model, blocked) >= 0.5) {
    out.push(
      `Threads queue for a lock: ${blocked.length} threads spend most of their time blocked on locks, ` +
        `so the critical section runs one thread at a time; here the lock, not the GIL, serialises them.`,
    );
  } else if (blocked.length >= 2) {
    out.push(
      `Blocking threads overlap: ${blocked.length} threads spend most of their time blocked (sleep, I/O, locks) ` +
        `with the GIL released, so threads do speed this up.`,
    );
  }
  return out;
}

function raceVerdict(model: TraceModel): string[] {
  return model.races.map((r) =>
    r.possibleUntraced
      ? `Race on \`${r.variable}\` (${r.kind}, ${r.count}x): it can happen without the tracer too. ${r.fix}`
      : `Race on \`${r.variable}\` seen only under tracing: ${r.explanation} ${r.fix}`.trim(),
  );
}

export function verdictFor(model: TraceModel): string[] {
  const out = model.deadlocks.map((d) => `${deadlockText(d)}. The fix: take the locks in the same order in every thread.`);
  out.push(...raceVerdict(model));
  const pids = model.processes.length;
  if (pids > 1) out.push(`${pids} processes, each with its own GIL: their threads run in parallel with each other.`);
  for (const p of model.processes) out.push(...processVerdict(model, p));
  if (model.problem) out.push(`The trace is incomplete (${model.problem.kind} at byte ${model.problem.byteOffset}): figures cover what was recorded.`);
  return out;
}
