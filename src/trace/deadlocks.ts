// Deadlocks of a decoded trace: threads blocked on each other's locks at the same time.
//
// Per process, in record order, a wait-for graph: thread T waits for lock L (an open lock-acquire
// BLOCK_ENTER) and L is held by thread U (LOCK_ACQUIRED not yet released), or T joins U (an open
// join BLOCK_ENTER) and U has not ended. Each thread waits for at most one thing, so a new wait
// closes a cycle exactly when following the edges from the waiting thread comes back to it. The cycle lasts until one of its waits ends: an acquire that timed out
// broke a deadlock (example 09); a trace that ends inside it is a deadlock the run was stopped in
// (the --timeout or a cancel); an acquire that got the lock means the graph was wrong (a lock
// released by a thread that did not take it) and is not reported.
//
// Only lock acquires and joins count: a Condition wait or a queue get waits for something no
// thread is known to hold. An RLock acquire by its owner never blocks, so reentry never makes an edge.
// Pure: no vscode import.
import { BlockCode, BlockExit, Rec, hi32, lo32 } from "./records";
import type { EventStore, ProcessTable } from "./store";
import type { Deadlock, DeadlockLock, DeadlockThread, ThreadInfo } from "./types";

interface Wait {
  /** The lock id waited for, or 0 for a join. */
  lock: number;
  /** The thread index joined, or -1 for a lock wait. */
  joins: number;
  site: number;
}

interface Holding {
  thread: number;
  /** Nesting depth (RLock reentry acquires again before it releases). */
  depth: number;
  site: number;
}

interface OpenCycle {
  /** Thread indexes in cycle order: each waits for a lock the next one holds. */
  threads: number[];
  sinceNs: number;
  /** A snapshot of what each cycle thread waited for and held when the cycle closed. */
  waits: Wait[];
  holds: { lock: number; site: number }[][];
}

class ProcessDeadlocks {
  readonly waits = new Map<number, Wait>();
  readonly holders = new Map<number, Holding>();
  /** Lock id → [name string id, site id where made], from LOCK_NEW. */
  readonly made = new Map<number, [number, number]>();
  readonly open: OpenCycle[] = [];
  readonly found: { cycle: OpenCycle; untilNs: number; brokenByTimeout: boolean }[] = [];
  readonly ended = new Set<number>();
  lastNs = 0;
  /** Timestamps of the records used, clamped to be non-decreasing as the model does. */
  private clampNs = 0;

  constructor(readonly table: ProcessTable) {}

  clamp(ns: number): number {
    this.clampNs = Math.max(this.clampNs, ns);
    return this.clampNs;
  }

  blockEnter(t: number, wait: Wait, ns: number): void {
    this.waits.set(t, wait);
    const cycle = this.cycleFrom(t);
    if (cycle) this.open.push({ threads: cycle, sinceNs: ns, ...this.snapshot(cycle) });
  }

  blockExit(t: number, outcome: number, ns: number): void {
    this.waits.delete(t);
    for (let c = this.open.length - 1; c >= 0; c--) {
      const cycle = this.open[c];
      if (!cycle.threads.includes(t)) continue;
      this.open.splice(c, 1);
      if (outcome !== BlockExit.ok) this.found.push({ cycle, untilNs: ns, brokenByTimeout: outcome === BlockExit.timeout });
    }
  }

  acquired(t: number, lock: number, site: number): void {
    const held = this.holders.get(lock);
    if (held && held.thread === t) held.depth++;
    else this.holders.set(lock, { thread: t, depth: 1, site });
  }

  released(lock: number): void {
    const held = this.holders.get(lock);
    if (held && --held.depth <= 0) this.holders.delete(lock);
  }

  /** The trace ended (at lastNs): cycles still open are deadlocks the run was stopped in. */
  finish(): void {
    for (const cycle of this.open) this.found.push({ cycle, untilNs: this.lastNs, brokenByTimeout: false });
    this.open.length = 0;
  }

  /** The cycle through `start` in the wait-for graph, in order from `start`, or null. */
  private cycleFrom(start: number): number[] | null {
    const path: number[] = [];
    let t = start;
    for (;;) {
      path.push(t);
      const next = this.awaited(t);
      if (next === undefined) return null;
      if (next === start) return path;
      if (path.includes(next)) return null; // a cycle that does not pass through start (already open)
      t = next;
    }
  }

  /** The thread `t` waits for: the holder of the lock it wants, or the live thread it joins. */
  private awaited(t: number): number | undefined {
    const wait = this.waits.get(t);
    if (!wait) return undefined;
    if (wait.joins >= 0) return this.ended.has(wait.joins) ? undefined : wait.joins;
    return this.holders.get(wait.lock)?.thread;
  }

  private snapshot(cycle: number[]): Pick<OpenCycle, "waits" | "holds"> {
    const waits = cycle.map((t) => this.waits.get(t) as Wait);
    const holds = cycle.map((t, i) => {
      // The lock the previous thread of the cycle waits for comes first: it is the one that matters.
      const wanted = waits[(i + cycle.length - 1) % cycle.length].lock;
      const mine = [...this.holders].filter(([, h]) => h.thread === t).map(([lock, h]) => ({ lock, site: h.site }));
      return mine.sort((x, y) => Number(y.lock === wanted) - Number(x.lock === wanted));
    });
    return { waits, holds };
  }
}

/**
 * The deadlocks of every process in the store. `threads` names the threads (the model's ThreadInfo);
 * `originNs` is the trace's time origin, so times line up with the timeline.
 */
export function findDeadlocks(store: EventStore, threads: ThreadInfo[], originNs: number): Deadlock[] {
  const passes = store.processes.map((t) => new ProcessDeadlocks(t));
  const { kind, flags, thread, a, ts, b, proc } = store;
  // Constants in locals: the hot loop then reads no imported object (vitest's module transform makes
  // each such read a getter call, 10x the loop's cost).
  const { BLOCK_ENTER, BLOCK_EXIT, LOCK_ACQUIRED, LOCK_RELEASE, LOCK_NEW, THREAD_END } = Rec;
  const LOCK = BlockCode.lock;
  const JOIN = BlockCode.join;
  for (let i = 0; i < store.count; i++) {
    const k = kind[i];
    // Most records are RUN and ACCESS: skipped after one or two comparisons.
    if ((k < BLOCK_ENTER && k !== THREAD_END) || k > LOCK_NEW || (k > BLOCK_EXIT && k < LOCK_ACQUIRED)) continue;
    const p = passes[proc[i]];
    const t = thread[i];
    if (k === BLOCK_ENTER) {
      if (flags[i] === LOCK && b[i] > 0) p.blockEnter(t, { lock: b[i], joins: -1, site: a[i] }, p.clamp(ts[i]));
      else if (flags[i] === JOIN) p.blockEnter(t, { lock: 0, joins: b[i], site: a[i] }, p.clamp(ts[i]));
    } else if (k === BLOCK_EXIT) {
      if (flags[i] === LOCK || flags[i] === JOIN) p.blockExit(t, a[i], p.clamp(ts[i]));
    } else if (k === THREAD_END) p.ended.add(t); else if (k === LOCK_ACQUIRED) p.acquired(t, b[i], a[i]);
    else if (k === LOCK_RELEASE) p.released(b[i]);
    else if (k === LOCK_NEW) p.made.set(lo32(b[i]), [hi32(b[i]), a[i]]);
  }
  // Cycles still open at the end last until the process's last record (found from the end, and only
  // for a process that has one: a live view snapshots often).
  passes.forEach((p, pi) => {
    if (p.open.length === 0) return;
    let i = store.count - 1;
    while (i >= 0 && proc[i] !== pi) i--;
    p.lastNs = Math.max(p.clamp(i >= 0 ? ts[i] : 0), p.table.end?.endNs ?? 0);
  });
  const names = new Map(threads.map((th) => [th.id, th.name]));
  const ms = (ns: number) => (ns - originNs) / 1e6;
  const out: Deadlock[] = [];
  for (const p of passes) {
    p.finish();
    const pid = p.table.pid;
    for (const { cycle, untilNs, brokenByTimeout } of p.found) {
      const lock = lockNamer(p);
      const members: DeadlockThread[] = cycle.threads.map((t, i) => ({
        thread: `${pid}:${t}`,
        name: names.get(`${pid}:${t}`) ?? `Thread-${t}`,
        waitsFor: cycle.waits[i].joins < 0 ? lock(cycle.waits[i].lock) : null,
        joins: cycle.waits[i].joins < 0 ? null : { thread: `${pid}:${cycle.waits[i].joins}`, name: names.get(`${pid}:${cycle.waits[i].joins}`) ?? `Thread-${cycle.waits[i].joins}` },
        waitsAt: p.table.site(cycle.waits[i].site),
        holds: cycle.holds[i].map((h) => ({ lock: lock(h.lock), acquiredAt: p.table.site(h.site) })),
      }));
      out.push({ pid, threads: members, sinceMs: ms(cycle.sinceNs), untilMs: ms(untilNs), brokenByTimeout });
    }
  }
  return out.sort((x, y) => x.sinceMs - y.sinceMs);
}

/** Names locks as the user would: the variable they were stored in (else where they were made), told apart when two share a name. */
function lockNamer(p: ProcessDeadlocks): (id: number) => DeadlockLock {
  const plainName = (id: number): string => {
    const [nameId, siteId] = p.made.get(id) ?? [0, 0];
    const variable = p.table.string(nameId);
    if (variable) return variable;
    const madeAt = p.table.site(siteId);
    return madeAt ? `lock made at line ${madeAt.line}` : `lock #${id}`;
  };
  const sharing = new Map<string, number[]>();
  for (const id of p.made.keys()) {
    const name = plainName(id);
    sharing.set(name, [...(sharing.get(name) ?? []), id]);
  }
  return (id) => {
    const name = plainName(id);
    const same = sharing.get(name) ?? [];
    return {
      name: same.length > 1 ? `${name} #${same.indexOf(id) + 1}` : name,
      id,
      madeAt: p.table.site(p.made.get(id)?.[1] ?? 0),
    };
  };
}
