// The race detection pass: one walk over the decoded records in order, per process. It keeps
// happens-before (raceClock.ts), the locks each thread holds (locksets), and per location the last
// read and write of every thread, and it collects, per variable (a location's display name, so
// `counts[word]` groups every key), the conflicting pairs and the lost updates it sees.
import { HappensBefore } from "./raceClock";
import { lo32, Rec } from "./records";
import type { EventStore, ProcessTable } from "./store";

/** One ACCESS record, stamped for the analysis. */
export interface Access {
  /** Record index in the EventStore. */
  rec: number;
  thread: number;
  epoch: number;
  write: boolean;
  site: number;
  code: number;
  /** Locks held (sorted ids; shared between accesses while unchanged). */
  locks: readonly number[];
}

/** Thread A read, another thread wrote, then A wrote from its stale read. */
export interface LostUpdate {
  read: Access;
  /** The other thread's own read before its write, when it did a read-modify-write too. */
  otherRead: Access | null;
  otherWrite: Access;
  write: Access;
}

/** A read and the write of the same code that followed it in one thread (a read-modify-write). */
export interface RmwWindow {
  read: Access;
  write: Access;
  lost: number;
}

/** Everything the pass learnt about one variable of one process. */
export interface VariableFindings {
  table: ProcessTable;
  variable: string;
  lostCount: number;
  /** The first few lost updates (for the interleaving). */
  lost: LostUpdate[];
  /** Accesses that raced with at least one earlier access of another thread. */
  conflictCount: number;
  firstConflict: [Access, Access] | null;
  /** The first access per (thread, read/write, site) that took part in a race. */
  involved: Access[];
  /** involvedMask[site][thread]: bit 1 read, bit 2 write already in `involved` (Smi-indexed: a hot path). */
  involvedMask: number[][];
  /** Read-modify-write windows per (read site, write site) as one number, racy or not. */
  windows: Map<number, RmwWindow>;
  /** Locks held at any access to the variable, with how many accesses held each. */
  locksHeld: Map<number, number>;
  /** Lock id → site id of its first acquisition in this process (to name a lock in the fix). */
  lockSites: Map<number, number>;
  /** Shared memory seen from several processes (raceShared.ts): accesses mix processes. */
  crossProcess?: boolean;
}

/** Empty findings for a variable of a process. */
export function newFindings(table: ProcessTable, variable: string, lockSites: Map<number, number>): VariableFindings {
  return {
    table, variable, lostCount: 0, lost: [], conflictCount: 0, firstConflict: null,
    involved: [], involvedMask: [], windows: new Map(), locksHeld: new Map(), lockSites,
  };
}

/** A thread's last read of a location still waiting for its write (reused per thread: `read` null when none). */
interface Pending {
  read: Access | null;
  otherRead: Access | null;
  otherWrite: Access | null;
}

// Per location, indexed by thread index (sparse arrays: a hot path, no Map iteration).
interface LocationState {
  findings: VariableFindings;
  /** Thread indexes that touched the location, in order of first access. */
  threads: number[];
  reads: (Access | undefined)[];
  writes: (Access | undefined)[];
  pending: (Pending | undefined)[];
}

const TWO_32 = 4294967296;

/** How many lost updates and involved accesses a variable keeps as examples. */
export const KEEP_LOST = 8;
export const KEEP_INVOLVED = 24;

function disjoint(a: readonly number[], b: readonly number[]): boolean {
  if (a.length === 0 || b.length === 0) return true;
  for (const x of a) if (b.includes(x)) return false;
  return true;
}

/** Per-process analysis state. */
class ProcessPass {
  readonly hb = new HappensBefore();
  private readonly held = new Map<number, Map<number, number>>();
  private readonly heldSorted = new Map<number, readonly number[]>();
  /** Lock id → the thread that holds it. */
  private readonly holder = new Map<number, number>();
  readonly locations = new Map<number, LocationState>();
  readonly variables = new Map<string, VariableFindings>();
  /** Lock id → site of its first acquisition (to name the lock in a fix). */
  readonly lockSites = new Map<number, number>();
  /**
   * Per thread, its floating write (a write recorded at its read, ACCESS flag 4) until the thread's
   * next record: the write happened somewhere up to there, so it may come after records other
   * threads wrote meanwhile, and no lost update is counted on it (docs/trace-format.md).
   */
  private readonly floating: (Access | undefined)[] = [];
  floatingCount = 0;

  constructor(readonly table: ProcessTable) {}

  locksOf(t: number): readonly number[] {
    return this.heldSorted.get(t) ?? [];
  }

  acquire(t: number, lock: number, site: number): void {
    this.hb.lockAcquire(t, lock);
    if (!this.lockSites.has(lock)) this.lockSites.set(lock, site);
    const m = this.held.get(t) ?? new Map<number, number>();
    this.held.set(t, m);
    m.set(lock, (m.get(lock) ?? 0) + 1);
    this.heldSorted.set(t, [...m.keys()].sort((x, y) => x - y));
    this.holder.set(lock, t);
  }

  release(t: number, lock: number): void {
    this.hb.lockRelease(t, lock);
    // A plain Lock may be released by another thread than the one that took it: the holder lets go.
    const owner = this.held.get(t)?.has(lock) ? t : this.holder.get(lock) ?? t;
    const m = this.held.get(owner);
    const n = m?.get(lock) ?? 0;
    if (!m || n === 0) return;
    if (n > 1) m.set(lock, n - 1);
    else {
      m.delete(lock);
      this.holder.delete(lock);
      this.heldSorted.set(owner, [...m.keys()].sort((x, y) => x - y));
    }
  }

  private location(id: number): LocationState {
    let st = this.locations.get(id);
    if (st) return st;
    const def = this.table.locs[id];
    const variable = def ? this.table.string(def.name) || `location ${id}` : `location ${id}`;
    let findings = this.variables.get(variable);
    if (!findings) {
      findings = newFindings(this.table, variable, this.lockSites);
      this.variables.set(variable, findings);
    }
    st = { findings, threads: [], reads: [], writes: [], pending: [] };
    this.locations.set(id, st);
    return st;
  }

  /** Thread `t` wrote a record: its floating write, if any, is done by now. */
  settle(t: number): void {
    if (this.floating[t] === undefined) return;
    this.floating[t] = undefined;
    this.floatingCount--;
  }

  access(rec: number, t: number, site: number, loc: number, write: boolean, floating = false): void {
    const st = this.location(loc);
    const f = st.findings;
    const cur: Access = {
      rec, thread: t, epoch: this.hb.epoch(t), write, site, code: this.table.sites[site]?.code ?? 0, locks: this.locksOf(t),
    };
    for (const l of cur.locks) f.locksHeld.set(l, (f.locksHeld.get(l) ?? 0) + 1);
    if (st.reads[t] === undefined && st.writes[t] === undefined) st.threads.push(t);
    let racy = false;
    for (const u of st.threads) {
      if (u === t) continue;
      const w = st.writes[u];
      if (w && this.check(f, w, cur)) racy = true;
      const r = st.reads[u];
      if (write && r && this.check(f, r, cur)) racy = true;
    }
    if (racy) f.conflictCount++;
    if (!write) {
      st.reads[t] = cur;
      const p = st.pending[t];
      if (p) {
        p.read = cur;
        p.otherRead = p.otherWrite = null;
      } else st.pending[t] = { read: cur, otherRead: null, otherWrite: null };
      return;
    }
    const mine = st.pending[t];
    const myRead = mine ? mine.read : null;
    if (mine && myRead && this.readThenWrite(myRead, cur)) this.closeWindow(f, myRead, mine, cur);
    if (mine) mine.read = null;
    for (const u of st.threads) {
      const p = st.pending[u];
      if (p && p.read && p.otherWrite === null) {
        p.otherWrite = cur;
        p.otherRead = myRead;
      }
    }
    st.writes[t] = cur;
    if (floating) {
      this.floating[t] = cur;
      this.floatingCount++;
    }
  }

  /**
   * Can `write` be computed from `read` (the thread's last read of the location)? Both in one code
   * object, the read earlier in it: a read late in one call and a write early in the next are not a
   * read-modify-write. (A loop that reads at its end for the next turn's write is missed: rarer.)
   */
  private readThenWrite(read: Access, write: Access): boolean {
    if (read.code !== write.code) return false;
    const sites = this.table.sites;
    return (sites[read.site]?.offset ?? 0) < (sites[write.site]?.offset ?? 0);
  }

  private closeWindow(f: VariableFindings, read: Access, p: Pending, write: Access): void {
    const key = read.site * TWO_32 + write.site;
    let w = f.windows.get(key);
    if (!w) {
      w = { read, write, lost: 0 };
      f.windows.set(key, w);
    }
    // Another thread's floating write still open here may as well have come after this write.
    if (!p.otherWrite || this.floating[p.otherWrite.thread] === p.otherWrite) return;
    w.lost++;
    f.lostCount++;
    if (f.lost.length < KEEP_LOST) f.lost.push({ read, otherRead: p.otherRead, otherWrite: p.otherWrite, write });
    this.involve(f, read);
    this.involve(f, p.otherWrite);
    this.involve(f, write);
  }

  /** Does `cur` race with `prev` (different threads, unordered, no common lock)? Records it if so. */
  private check(f: VariableFindings, prev: Access, cur: Access): boolean {
    if (this.hb.ordered(prev.thread, prev.epoch, cur.thread) || !disjoint(prev.locks, cur.locks)) return false;
    if (!f.firstConflict) f.firstConflict = [prev, cur];
    this.involve(f, prev);
    this.involve(f, cur);
    return true;
  }

  private involve(f: VariableFindings, a: Access): void {
    const bit = a.write ? 2 : 1;
    const bySite = f.involvedMask[a.site] ?? (f.involvedMask[a.site] = []);
    const mask = bySite[a.thread] ?? 0;
    if (mask & bit) return;
    bySite[a.thread] = mask | bit;
    if (f.involved.length < KEEP_INVOLVED) f.involved.push(a);
  }
}

/** Run the pass over every process of the store; returns the findings of every variable accessed. */
export function detectRaces(store: EventStore): VariableFindings[] {
  const passes = store.processes.map((t) => new ProcessPass(t));
  const { kind, flags, thread, a, b, proc } = store;
  for (let i = 0; i < store.count; i++) {
    const k = kind[i];
    const p = passes[proc[i]];
    const t = thread[i];
    if (p.floatingCount > 0) p.settle(t); // any record of the thread, RUN included
    if (k < Rec.THREAD_SPAWN || (k >= Rec.RUN && k < Rec.LOCK_ACQUIRED) || k > Rec.ACCESS) continue;
    switch (k) {
      case Rec.THREAD_SPAWN: p.hb.spawn(t, a[i]); break;
      case Rec.THREAD_END: p.hb.end(t); break;
      case Rec.THREAD_JOINED: p.hb.joined(t, a[i]); break;
      case Rec.LOCK_ACQUIRED: p.acquire(t, b[i], a[i]); break;
      case Rec.LOCK_RELEASE: p.release(t, b[i]); break;
      case Rec.SYNC_RELEASE: p.hb.syncRelease(t, b[i]); break;
      case Rec.SYNC_ACQUIRE: p.hb.syncAcquire(t, b[i]); break;
      case Rec.ACCESS:
        p.access(i, t, a[i], lo32(b[i]), (flags[i] & 1) !== 0, (flags[i] & 4) !== 0);
        break;
    }
  }
  return passes.flatMap((p) => [...p.variables.values()]);
}
