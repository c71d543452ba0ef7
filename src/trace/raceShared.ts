// Lost updates on multiprocessing shared memory (`Value.value`, `Array` items: LOC kind 5) between
// processes. Records of different processes have no common order, only comparable timestamps
// (CLOCK_MONOTONIC), and multiprocessing's locks are recorded per process (a child numbers its copy of
// a lock anew), so happens-before cannot be built across processes. What can be seen is the observed lost update: process A read,
// another process wrote (its record's timestamp inside A's window), then A wrote. A lock held
// across A's read and write (`with v.get_lock():`) makes that impossible, so this reports no
// false positives on locked code, and only what the run really showed.
import { KEEP_INVOLVED, KEEP_LOST, newFindings, type Access, type VariableFindings } from "./raceDetect";
import { lo32, Rec } from "./records";
import type { EventStore } from "./store";

const LOC_SHARED_MEMORY = 5;

interface Pending {
  read: Access;
  otherRead: Access | null;
  otherWrite: Access | null;
}

/** Record indexes of shared-memory accesses, per location (owner address + display name). */
function sharedAccesses(store: EventStore): Map<string, number[]> {
  const buckets = new Map<string, number[]>();
  for (let i = 0; i < store.count; i++) {
    if (store.kind[i] !== Rec.ACCESS) continue;
    const table = store.processes[store.proc[i]];
    const loc = table.locs[lo32(store.b[i])];
    if (!loc || loc.kind !== LOC_SHARED_MEMORY) continue;
    const key = `${loc.owner}|${table.string(loc.name)}`;
    const list = buckets.get(key);
    if (list) list.push(i);
    else buckets.set(key, [i]);
  }
  return buckets;
}

function accessAt(store: EventStore, i: number): Access {
  const table = store.processes[store.proc[i]];
  const site = store.a[i];
  return {
    rec: i, thread: store.thread[i], epoch: 0, write: (store.flags[i] & 1) !== 0, site, code: table.sites[site]?.code ?? 0, locks: [],
  };
}

function involve(f: VariableFindings, store: EventStore, a: Access, seen: Set<string>): void {
  const key = `${store.proc[a.rec]}|${a.thread}|${a.write}|${a.site}`;
  if (seen.has(key) || f.involved.length >= KEEP_INVOLVED) return;
  seen.add(key);
  f.involved.push(a);
}

/** Findings (lost updates only) for shared memory that several processes wrote. */
export function detectSharedMemoryRaces(store: EventStore): VariableFindings[] {
  const out: VariableFindings[] = [];
  for (const [key, recs] of sharedAccesses(store)) {
    if (new Set(recs.map((i) => store.proc[i])).size < 2) continue;
    recs.sort((x, y) => store.ts[x] - store.ts[y] || x - y);
    const first = store.processes[store.proc[recs[0]]];
    const f = newFindings(first, key.slice(key.indexOf("|") + 1), new Map());
    f.crossProcess = true;
    const seen = new Set<string>();
    // Per stream (process, thread): its last read waiting for its write.
    const pending = new Map<number, Pending>();
    for (const i of recs) {
      const cur = accessAt(store, i);
      const proc = store.proc[i];
      const stream = proc * 65536 + cur.thread;
      if (!cur.write) {
        pending.set(stream, { read: cur, otherRead: null, otherWrite: null });
        continue;
      }
      const mine = pending.get(stream);
      pending.delete(stream);
      if (mine?.otherWrite && mine.read.code === cur.code) {
        f.lostCount++;
        if (f.lost.length < KEEP_LOST) f.lost.push({ read: mine.read, otherRead: mine.otherRead, otherWrite: mine.otherWrite, write: cur });
        for (const a of [mine.read, mine.otherWrite, cur]) involve(f, store, a, seen);
      }
      for (const [s, p] of pending) {
        // Only writes of another process: the per-process pass covers threads of one process.
        if (Math.floor(s / 65536) !== proc && p.otherWrite === null) {
          p.otherWrite = cur;
          p.otherRead = mine ? mine.read : null;
        }
      }
    }
    if (f.lostCount > 0) out.push(f);
  }
  return out;
}
