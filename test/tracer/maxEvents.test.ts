// --max-events keeps the head, the tail and the race-relevant records of a long run (tracer/
// gil_timeline/keep.py), checked on every CPython found with the real decoder.
import { describe, expect, it } from "vitest";
import { buildModel } from "../../src/trace/model";
import { BlockCode, Rec } from "../../src/trace/records";
import type { EventStore } from "../../src/trace/store";
import { testPythons } from "../helpers/pythons";
import { runTraced } from "./run";

const pythons = testPythons().map((p) => [p.version, p.executable] as const);
const LIMIT = 2000;
const HEAD = LIMIT / 2;
const TAIL = LIMIT / 4;

interface Rec24 {
  i: number;
  kind: number;
  flags: number;
  thread: number;
  a: number;
  ts: number;
  b: number;
}

function records(store: EventStore): Rec24[] {
  const out: Rec24[] = [];
  for (let i = 0; i < store.count; i++) {
    out.push({ i, kind: store.kind[i], flags: store.flags[i], thread: store.thread[i], a: store.a[i], ts: store.ts[i], b: store.b[i] });
  }
  return out;
}

const isDiagnostic = (r: Rec24) => r.kind === Rec.DROPPED || r.kind === Rec.GAP;

describe.each(pythons)("--max-events keep policy, Python %s", (_version, python) => {
  it("a long run keeps the head and the tail, records the gap with its counts, and stays in the budget", async () => {
    const { ran, store } = await runTraced(python, ["long_race.py"], { tracerArgs: ["--max-events", String(LIMIT)] });
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
    expect(store.problem).toBeNull();
    const end = store.processes[0].end;
    expect(end).toBeDefined();
    const all = records(store);
    const kept = all.filter((r) => !isDiagnostic(r));
    expect(kept.length).toBeLessThanOrEqual(LIMIT);

    const gaps = all.filter((r) => r.kind === Rec.GAP);
    expect(gaps.map((g) => g.flags)).toEqual([0, 1]);
    const [begin, finish] = gaps;
    expect(begin.a).toBe(LIMIT);
    expect(begin.ts).toBeLessThanOrEqual(finish.ts);
    const droppedRecords = all.filter((r) => r.kind === Rec.DROPPED).reduce((n, r) => n + r.a, 0);
    expect(finish.a).toBe(droppedRecords);
    expect(end?.dropped).toBe(droppedRecords);
    expect(finish.a).toBeGreaterThan(10_000);
    const byKind = JSON.parse(store.processes[0].string(finish.b)) as Record<string, number>;
    expect(Object.values(byKind).reduce((n, v) => n + v, 0)).toBe(finish.a);
    expect(byKind.ACCESS).toBeGreaterThan(0);

    // Head: the first HEAD records, from the start of the run (the main thread's THREAD_START).
    const head = kept.filter((r) => r.i < begin.i);
    expect(head.length).toBeGreaterThanOrEqual(HEAD);
    expect(head.some((r) => r.kind === Rec.THREAD_START && r.thread === 0)).toBe(true);
    // Tail: the ring of the last TAIL records (a pair of accesses may leave one place free), from
    // the end of the run: the main thread's last join returns there.
    const tail = kept.filter((r) => r.i > finish.i);
    expect(tail.length).toBeGreaterThanOrEqual(TAIL - 1);
    expect(tail.length).toBeLessThanOrEqual(TAIL);
    const joins = kept.filter((r) => r.kind === Rec.BLOCK_EXIT && r.flags === BlockCode.join && r.thread === 0);
    expect(joins.length).toBeGreaterThan(0);
    expect(joins[joins.length - 1].i).toBeGreaterThan(finish.i);
    // Inside the gap only race-relevant records are kept, and every thread's end survives.
    const inGap = kept.filter((r) => r.i > begin.i && r.i < finish.i);
    expect(inGap.filter((r) => r.kind === Rec.RUN || r.kind === Rec.BLOCK_ENTER || r.kind === Rec.BLOCK_EXIT)).toEqual([]);
    const started = kept.filter((r) => r.kind === Rec.THREAD_START && r.thread !== 0).map((r) => r.thread).sort();
    expect(started).toHaveLength(3);
    expect(kept.filter((r) => r.kind === Rec.THREAD_END).map((r) => r.thread).sort()).toEqual(started);
  });

  it("tiny limits (no room for a tail) keep the run intact and stay within the limit", async () => {
    for (const limit of [1, 3]) {
      const { ran, store } = await runTraced(python, ["long_race.py"], { tracerArgs: ["--max-events", String(limit)] });
      expect(ran.stderr).toBe("");
      expect(ran.stdout).toBe("done\n");
      expect(store.problem).toBeNull();
      const kept = records(store).filter((r) => !isDiagnostic(r));
      expect(kept.length).toBeLessThanOrEqual(limit);
      expect(store.processes[0].end?.dropped).toBeGreaterThan(10_000);
    }
  });

  it("races that happen after the head budget are still found", async () => {
    const { store } = await runTraced(python, ["long_race.py"], { tracerArgs: ["--max-events", String(LIMIT)] });
    const table = store.processes[0];
    const counterLocs = new Set(
      Object.entries(table.locs).filter(([, loc]) => table.string(loc.name) === "counter").map(([id]) => Number(id)),
    );
    expect(counterLocs.size).toBeGreaterThan(0);
    const racing = records(store).filter((r) => r.kind === Rec.ACCESS && counterLocs.has(r.b) && r.thread !== 0);
    expect(racing[0].i).toBeGreaterThan(HEAD); // the racing part starts after the head
    // The gap kept accesses of several threads to it (where the location changed thread).
    const gap = records(store).filter((r) => r.kind === Rec.GAP);
    const inGap = racing.filter((r) => r.i > gap[0].i && r.i < gap[1].i);
    expect(new Set(inGap.map((r) => r.thread)).size).toBeGreaterThanOrEqual(2);
    const model = buildModel(store);
    expect(model.races.map((r) => r.variable)).toContain("counter");
  });
});
