// The happens-before + lockset engine and the lost-update detector on traces built record by
// record (decoded by the real decoder): each case is one rule of the analysis.
import { describe, expect, it } from "vitest";
import { findRaces } from "../../src/trace/races";
import { TraceWriter } from "../trace/encode";
import { RaceTraceBuilder, decodeBytes, type DisRow } from "./traceBuilder";

// `for _ in range(n): counter += 1` as dis shows it on 3.12 (lines 6-7).
const COUNTER_312: DisRow[] = [
  [0, "RESUME", "", 4], [2, "LOAD_GLOBAL", "NULL + range", 6], [12, "LOAD_FAST", "n", 6], [14, "CALL", "1", 6],
  [22, "GET_ITER", "", 6], [24, "FOR_ITER", "to 50", 6], [28, "STORE_FAST", "_", 6], [30, "LOAD_GLOBAL", "counter", 7],
  [40, "LOAD_CONST", "1", 7], [42, "BINARY_OP", "+=", 7], [46, "STORE_GLOBAL", "counter", 7], [48, "JUMP_BACKWARD", "to 24", 7],
  [50, "END_FOR", "", 6], [52, "RETURN_CONST", "None", 6],
];

function counterTrace(version = "3.12.1", gilEnabled = true) {
  const tb = new RaceTraceBuilder({ version, gilEnabled });
  const work = tb.code("work", COUNTER_312);
  const load = tb.site(work, 7, 30, "LOAD_GLOBAL");
  const store = tb.site(work, 7, 46, "STORE_GLOBAL");
  const counter = tb.loc("counter");
  return { tb, load, store, counter };
}

describe("lost updates", () => {
  it("finds the lesson's interleaving and lists it in global order", () => {
    const { tb, load, store, counter } = counterTrace();
    tb.write(0, store, counter).spawn(0, 1).spawn(0, 2);
    tb.read(1, load, counter, true).read(2, load, counter, true).write(2, store, counter, true).write(1, store, counter, true);
    tb.end(1).end(2).joined(0, 1).joined(0, 2).read(0, load, counter);
    const races = findRaces(tb.decode());
    expect(races).toHaveLength(1);
    const r = races[0];
    expect(r.variable).toBe("counter");
    expect(r.kind).toBe("lost-update");
    expect(r.count).toBe(1);
    expect(r.interleaving.map((s) => `${s.thread} ${s.instruction} ${s.variable}${s.note ? ` <- ${s.note}` : ""}`)).toEqual([
      "1:1 LOAD_GLOBAL counter <- stale read",
      "1:2 LOAD_GLOBAL counter",
      "1:2 STORE_GLOBAL counter <- this update is lost",
      "1:1 STORE_GLOBAL counter <- lost update",
    ]);
    // 3.12 cannot switch between LOAD_GLOBAL and STORE_GLOBAL of `counter += 1`: the tracer did it.
    expect(r.possibleUntraced).toBe(false);
    expect(r.explanation).toMatch(/^Safe by accident on 3\.12: no switch point between LOAD_GLOBAL and STORE_GLOBAL/);
    expect(r.explanation).toContain("caused by tracing");
    expect(r.explanation).toContain("3.8 and 3.9 and on free-threaded 3.13t");
    expect(r.fix).toBe("create `counter_lock = threading.Lock()` and guard line 7 with `with counter_lock:`");
    expect(r.accesses.map((a) => `${a.thread} ${a.op} ${a.line}`)).toEqual(["1:1 read 7", "1:2 read 7", "1:2 write 7", "1:1 write 7"]);
  });

  it("counts no lost update on a floating write that other threads' records may have come before", () => {
    // Thread 2 reads, thread 1 records `counter += 1` as a floating pair, thread 2 writes: thread 1's
    // write happened by its next record, which comes after thread 2's write, so either may be first.
    const open = counterTrace("3.9.18");
    open.tb.spawn(0, 1).spawn(0, 2);
    open.tb.read(2, open.load, open.counter, true).floatingPair(1, open.load, open.store, open.counter);
    open.tb.write(2, open.store, open.counter, true).run(1).end(1).end(2);
    const [unsure] = findRaces(open.tb.decode());
    expect(unsure.kind).toBe("unsynchronized");
    expect(unsure.count).toBeGreaterThan(0);
    // Once thread 1 wrote its next record before thread 2's write, its write is known to come first.
    const settled = counterTrace("3.9.18");
    settled.tb.spawn(0, 1).spawn(0, 2);
    settled.tb.read(2, settled.load, settled.counter, true).floatingPair(1, settled.load, settled.store, settled.counter);
    settled.tb.run(1).write(2, settled.store, settled.counter, true).end(1).end(2);
    const [lost] = findRaces(settled.tb.decode());
    expect(lost.kind).toBe("lost-update");
    expect(lost.count).toBe(1);
  });

  it("counts no lost update on a read late in one call and a write early in the next", () => {
    // report(): `status = "busy"` (offset 10) ... `print(status)` (offset 40). Thread 1's read at the
    // end of one call and its write at the start of the next are not a read-modify-write: the write
    // does not come from the read, whatever thread 2 wrote between them.
    const tb = new RaceTraceBuilder();
    const report = tb.code("report", [[10, "STORE_GLOBAL", "status", 5], [40, "LOAD_GLOBAL", "status", 8]]);
    const store = tb.site(report, 5, 10, "STORE_GLOBAL");
    const load = tb.site(report, 8, 40, "LOAD_GLOBAL");
    const status = tb.loc("status");
    tb.spawn(0, 1).spawn(0, 2);
    tb.write(1, store, status).read(1, load, status).write(2, store, status).write(1, store, status);
    tb.end(1).end(2);
    const [race] = findRaces(tb.decode());
    expect(race.variable).toBe("status");
    expect(race.kind).toBe("unsynchronized");
  });

  it("says the same window can lose updates untraced on 3.9 and on a build without the GIL", () => {
    for (const [version, gil] of [["3.9.18", true], ["3.13.0", false]] as const) {
      const { tb, load, store, counter } = counterTrace(version, gil);
      tb.spawn(0, 1).spawn(0, 2);
      tb.read(1, load, counter).read(2, load, counter).write(2, store, counter).write(1, store, counter);
      const [r] = findRaces(tb.decode());
      expect(r.possibleUntraced).toBe(true);
      expect(r.explanation).toMatch(gil ? /^Can lose updates on 3\.9 without the tracer: up to 3\.9/ : /^Can lose updates on 3\.13t .*without the GIL/);
    }
  });

  it("reports a read-modify-write split over two lock blocks, naming the lock already used", () => {
    const tb = new RaceTraceBuilder();
    const dis: DisRow[] = [
      [0, "RESUME", "", 9], [2, "LOAD_GLOBAL", "lock", 10], [12, "BEFORE_WITH", "", 10], [14, "POP_TOP", "", 10],
      [16, "LOAD_GLOBAL", "balance", 11], [26, "STORE_FAST", "tmp", 11], [40, "LOAD_GLOBAL", "lock", 12],
      [50, "BEFORE_WITH", "", 12], [52, "POP_TOP", "", 12], [54, "LOAD_FAST", "tmp", 13], [56, "STORE_GLOBAL", "balance", 13],
    ];
    const fn = tb.code("withdraw", dis);
    const acq1 = tb.site(fn, 10, 12, "BEFORE_WITH");
    const acq2 = tb.site(fn, 12, 50, "BEFORE_WITH");
    const rd = tb.site(fn, 11, 16, "LOAD_GLOBAL");
    const wr = tb.site(fn, 13, 56, "STORE_GLOBAL");
    const balance = tb.loc("balance");
    const L = 7;
    tb.spawn(0, 1).spawn(0, 2);
    tb.acquire(1, L, acq1).read(1, rd, balance).release(1, L);
    tb.acquire(2, L, acq1).read(2, rd, balance).release(2, L).acquire(2, L, acq2).write(2, wr, balance).release(2, L);
    tb.acquire(1, L, acq2).write(1, wr, balance).release(1, L);
    const races = findRaces(tb.decode());
    expect(races.map((r) => [r.variable, r.kind, r.count])).toEqual([["balance", "lost-update", 1]]);
    expect(races[0].fix).toContain("guard lines 11-13 with `with lock:`");
    expect(races[0].fix).toContain("already used for `balance` at line 10");
  });
});

describe("happens-before and locksets", () => {
  it("orders accesses by start, join, a common lock, an Event and a Queue", () => {
    const { tb, load, store, counter } = counterTrace();
    const data = tb.loc("data");
    // published before start, read after join
    tb.write(0, store, counter).spawn(0, 1).read(1, load, counter).write(1, store, counter).end(1).joined(0, 1).read(0, load, counter);
    // a common lock
    tb.spawn(0, 2).spawn(0, 3);
    tb.acquire(2, 9).read(2, load, counter).write(2, store, counter).release(2, 9);
    tb.acquire(3, 9).read(3, load, counter).write(3, store, counter).release(3, 9);
    // Event publication: set after the write, wait before the read
    tb.write(2, store, data).syncRelease(2, 40).syncAcquire(3, 40).read(3, load, data);
    expect(findRaces(tb.decode())).toEqual([]);
  });

  it("reports conflicting accesses with no order as unsynchronized, one point per variable", () => {
    const { tb, load, store, counter } = counterTrace();
    const flag = tb.loc("flag");
    tb.spawn(0, 1).spawn(0, 2);
    tb.write(1, store, flag).read(2, load, flag);
    // a lock only one side holds does not order anything
    tb.acquire(1, 5).write(1, store, counter).release(1, 5).read(2, load, counter).read(2, load, counter);
    const races = findRaces(tb.decode());
    expect(races.map((r) => [r.variable, r.kind, r.count, r.possibleUntraced])).toEqual([
      ["counter", "unsynchronized", 2, true],
      ["flag", "unsynchronized", 1, true],
    ].sort((x, y) => Number(y[2]) - Number(x[2])));
    expect(races.find((r) => r.variable === "counter")?.interleaving.map((s) => s.thread)).toEqual(["1:1", "1:2"]);
  });

  it("does not report a location only one thread touches, nor different keys of one dict", () => {
    const { tb, load, store } = counterTrace();
    const own = tb.loc("mine");
    const ka = tb.loc("counts[word]", 4, 77);
    const kb = tb.loc("counts[word]", 4, 77);
    tb.spawn(0, 1).spawn(0, 2);
    tb.read(1, load, own).write(1, store, own).read(1, load, own);
    tb.read(1, load, ka).read(2, load, kb).write(2, store, kb).write(1, store, ka);
    expect(findRaces(tb.decode())).toEqual([]);
  });

  it("groups every key of a dict under the name the user wrote", () => {
    const { tb, load, store } = counterTrace();
    const ka = tb.loc("counts[word]", 4, 77);
    const kb = tb.loc("counts[word]", 4, 77);
    tb.spawn(0, 1).spawn(0, 2);
    tb.read(1, load, ka).read(2, load, ka).write(2, store, ka).write(1, store, ka);
    tb.read(1, load, kb).read(2, load, kb).write(2, store, kb).write(1, store, kb);
    const races = findRaces(tb.decode());
    expect(races.map((r) => [r.variable, r.kind, r.count])).toEqual([["counts[word]", "lost-update", 2]]);
    expect(races[0].fix).toContain("`counts_lock = threading.Lock()`");
  });
});

describe("multiprocessing shared memory across processes", () => {
  // One child process's view of `v.value += 1` (3.12 dis), at the given times (ns).
  function child(reads: number[], writes: number[]) {
    const tb = new RaceTraceBuilder();
    const fn = tb.code("work", [[10, "LOAD_ATTR", "value", 9], [20, "BINARY_OP", "+=", 9], [30, "STORE_ATTR", "value", 9]]);
    const rd = tb.site(fn, 9, 10, "LOAD_ATTR");
    const wr = tb.site(fn, 9, 30, "STORE_ATTR");
    const v = tb.loc("v.value", 5, 0x7f00aa000000);
    const times = [...reads.map((t) => [t, 0]), ...writes.map((t) => [t, 1])].sort((x, y) => x[0] - y[0]);
    for (const [t, w] of times) {
      tb.at(t);
      if (w) tb.write(0, wr, v, true);
      else tb.read(0, rd, v, true);
    }
    return tb;
  }

  it("finds a lost update when another process writes inside a read-modify-write window", () => {
    const writer = new TraceWriter();
    new RaceTraceBuilder().writeTo(writer, 10);
    child([1_000_100], [1_000_300]).writeTo(writer, 11, 10);
    child([1_000_150], [1_000_200]).writeTo(writer, 12, 10);
    const races = findRaces(decodeBytes(writer.bytes()));
    expect(races.map((r) => [r.variable, r.kind, r.count, r.possibleUntraced])).toEqual([["v.value", "lost-update", 1, true]]);
    expect(races[0].interleaving.map((s) => `${s.thread} ${s.instruction}${s.note ? ` <- ${s.note}` : ""}`)).toEqual([
      "11:0 LOAD_ATTR <- stale read",
      "12:0 LOAD_ATTR",
      "12:0 STORE_ATTR <- this update is lost",
      "11:0 STORE_ATTR <- lost update",
    ]);
    expect(races[0].fix).toBe("guard line 9 with `with v.get_lock():` (the shared value's own lock)");
  });

  it("reports nothing when the processes' windows do not overlap (as under v.get_lock())", () => {
    const writer = new TraceWriter();
    child([1_000_100, 1_000_500], [1_000_200, 1_000_600]).writeTo(writer, 11);
    child([1_000_300], [1_000_400]).writeTo(writer, 12);
    expect(findRaces(decodeBytes(writer.bytes()))).toEqual([]);
  });
});

describe("fixes", () => {
  it("names only the lines the lock does not already guard, and suggests an Event for a published flag", () => {
    const tb = new RaceTraceBuilder();
    const careful = tb.code("careful", [
      [2, "LOAD_GLOBAL", "lock", 12], [12, "BEFORE_WITH", "", 12], [14, "POP_TOP", "", 12],
      [16, "LOAD_GLOBAL", "total", 13], [26, "LOAD_CONST", "1", 13], [28, "BINARY_OP", "+=", 13], [32, "STORE_GLOBAL", "total", 13],
    ]);
    const careless = tb.code("careless", [
      [2, "LOAD_GLOBAL", "total", 19], [12, "LOAD_CONST", "1", 19], [14, "BINARY_OP", "+=", 19], [18, "STORE_GLOBAL", "total", 19],
    ]);
    const take = tb.site(careful, 12, 12, "BEFORE_WITH");
    const r1 = tb.site(careful, 13, 16, "LOAD_GLOBAL");
    const w1 = tb.site(careful, 13, 32, "STORE_GLOBAL");
    const r2 = tb.site(careless, 19, 2, "LOAD_GLOBAL");
    const w2 = tb.site(careless, 19, 18, "STORE_GLOBAL");
    const total = tb.loc("total");
    const done = tb.loc("done");
    tb.spawn(0, 1).spawn(0, 2);
    tb.acquire(1, 3, take).read(1, r1, total).write(1, w1, total).release(1, 3, take);
    tb.read(2, r2, total).write(2, w2, total);
    tb.write(1, w1, done).read(0, r2, done);
    const races = findRaces(tb.decode());
    const fixOf = (v: string) => races.find((r) => r.variable === v)?.fix;
    expect(fixOf("total")).toBe(
      "guard line 19 with `with lock:` (the lock already used for `total` at line 12), holding it across the read and the write",
    );
    expect(fixOf("done")).toMatch(/; or, if one thread only hands the value to another, pass it through a `threading.Event` or a `queue.Queue`$/);
  });
});

describe("locksets", () => {
  it("drops a lock from its holder's lockset when another thread releases it", () => {
    const { tb, load, store, counter } = counterTrace();
    tb.spawn(0, 1).spawn(0, 2);
    // T1 takes lock 4 and T2 releases it (legal for a plain Lock): T1's later write is unguarded.
    tb.acquire(1, 4).release(2, 4).write(1, store, counter);
    tb.acquire(2, 4).read(2, load, counter).release(2, 4);
    expect(findRaces(tb.decode()).map((r) => [r.variable, r.kind])).toEqual([["counter", "unsynchronized"]]);
  });
});
