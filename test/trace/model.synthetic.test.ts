// The model's rules on a hand-written record sequence, where the expected answer is known exactly.
// (test/trace/model.test.ts checks the same model on real traces of the examples.)
import { describe, expect, it } from "vitest";
import { TraceDecoder, decodeTrace } from "../../src/trace/decode";
import { ModelBuilder, buildModel } from "../../src/trace/model";
import { Rec } from "../../src/trace/records";
import { meanSliceMs } from "../../src/trace/slices";
import { summarize } from "../../src/trace/summary";
import { summaryText } from "../../src/trace/summaryText";
import { TraceWriter, type RecordSpec } from "./encode";

const T0 = 1_000_000_000;
const ms = (x: number) => T0 + x * 1e6;
const PID = 77;

function records(): RecordSpec[] {
  return [
    { kind: Rec.STR, a: 1, text: "/lab/s.py" },
    { kind: Rec.STR, a: 2, text: "work" },
    { kind: Rec.STR, a: 3, text: "worker-1" },
    { kind: Rec.STR, a: 4, text: "ValueError" },
    { kind: Rec.STR, a: 5, text: "boom" },
    { kind: Rec.CODE, a: 1, ts: 3, b: 1 + 2 * 2 ** 32 },
    { kind: Rec.SITE, a: 1, ts: 1 + 4 * 2 ** 32 },
    { kind: Rec.SITE, a: 2, ts: 1 + 9 * 2 ** 32 },
    { kind: Rec.THREAD_START, thread: 0, flags: 2, ts: ms(0) },
    { kind: Rec.THREAD_SPAWN, thread: 0, a: 1, ts: ms(1) },
    { kind: Rec.RUN, thread: 0, a: 1, ts: ms(2) },
    { kind: Rec.THREAD_START, thread: 1, a: 555, ts: ms(3), b: 3 + 1 * 2 ** 32 }, // threadStart from 0
    { kind: Rec.RUN, thread: 0, a: 1, ts: ms(8) }, // preempted from 1 (slice 3..8)
    { kind: Rec.BLOCK_ENTER, thread: 0, flags: 2, a: 2, ts: ms(9), b: 11 }, // main waits for a lock
    { kind: Rec.RUN, thread: 1, a: 1, ts: ms(10) }, // lockWait from 0
    { kind: Rec.BLOCK_ENTER, thread: 1, flags: 1, a: 2, ts: ms(11) }, // sleep
    { kind: Rec.BLOCK_EXIT, thread: 0, flags: 2, a: 1, ts: ms(14), b: 11 }, // blocking from 1
    { kind: Rec.BLOCK_EXIT, thread: 1, flags: 1, a: 1, ts: ms(13) }, // preempted from 0; ts clamped to 14
    { kind: Rec.EXCEPTION, thread: 1, a: 2, ts: ms(16), b: 4 + 5 * 2 ** 32 },
    { kind: Rec.THREAD_END, thread: 1, a: 1, ts: ms(17) },
    { kind: Rec.RUN, thread: 0, a: 1, ts: ms(18) }, // threadExit from 1
  ];
}

function trace(): Uint8Array {
  return new TraceWriter().process(PID, { startNs: T0 }).events(PID, records()).end(PID, { endNs: ms(20) }).bytes();
}

describe("buildModel on a known record sequence", () => {
  const model = buildModel(decodeTrace(trace()));

  it("finds every handoff with its reason, in record order", () => {
    expect(model.handoffs.map((h) => [h.timeMs, h.from, h.to, h.reason])).toEqual([
      [3, "77:0", "77:1", "threadStart"],
      [8, "77:1", "77:0", "preempted"],
      [10, "77:0", "77:1", "lockWait"],
      [14, "77:1", "77:0", "blocking"],
      [14, "77:0", "77:1", "preempted"],
      [18, "77:1", "77:0", "threadExit"],
    ]);
    expect(model.handoffs[2].site).toMatchObject({ file: "/lab/s.py", line: 9, function: "work" });
    const p = model.processes[0];
    expect(p.handoffs).toEqual({ total: 6, byReason: { threadStart: 1, preempted: 2, lockWait: 1, blocking: 1, threadExit: 1 } });
    expect(p.observedSwitchIntervalMs).toBe(2.5); // median of slices 5 ms (3..8) and 0 ms (14..14)
  });

  it("gives each thread its intervals and totals", () => {
    const states = (id: string) => {
      const tl = model.timelines.get(id)!;
      return Array.from(tl.state, (s, i) => [tl.start[i], tl.end[i], s, tl.blockKind[i]]);
    };
    expect(states("77:0")).toEqual([[0, 3, 0, 0], [3, 8, 1, 0], [8, 9, 0, 0], [9, 14, 2, 2], [14, 18, 1, 0], [18, 20, 0, 0]]);
    expect(states("77:1")).toEqual([[1, 3, 1, 0], [3, 8, 0, 0], [8, 10, 1, 0], [10, 11, 0, 0], [11, 14, 2, 1], [14, 17, 0, 0]]);
    const worker = model.threads.find((t) => t.id === "77:1")!;
    expect(worker).toMatchObject({
      name: "worker-1", nativeId: 555, startMs: 1, endMs: 17, runningMs: 9, waitingMs: 4, blockedMs: 3, slices: 3,
      target: { file: "/lab/s.py", line: 3, function: "work" },
      exception: { type: "ValueError", message: "boom", file: "/lab/s.py", line: 9 },
    });
    expect(model.threads[0]).toMatchObject({ name: "MainThread", target: null, endMs: 20, slices: 3 });
    expect(model.durationMs).toBe(20);
    expect(model.warnings).toEqual([]);
  });

  it("gives each thread its mean GIL slice in the summary and its readable table", () => {
    // worker-1 ran 3..8, 10..11 and 14..17 (9 ms in 3 slices); MainThread 0..3, 8..9, 18..20 (6 ms in 3).
    const threads = summarize(model).processes[0].threads;
    expect(threads.map((t) => [t.name, t.slices, t.meanSliceMs])).toEqual([["MainThread", 3, 2], ["worker-1", 3, 3]]);
    const table = summaryText(summarize(model)).split("\n");
    const head = table.find((l) => l.includes("mean slice")) ?? "";
    expect(head.trim().split(/\s{2,}/)).toEqual(["#", "thread", "GIL share", "running", "waiting", "blocked", "slices", "mean slice"]);
    expect(table.find((l) => l.includes("worker-1"))?.trim().split(/\s{2,}/).slice(-2)).toEqual(["3", "3.0 ms"]);
    // A thread that never held the GIL has no mean slice (not a division by zero).
    expect(meanSliceMs(0, 0)).toBeNull();
    const never = summarize(model);
    never.processes[0].threads[1] = { ...never.processes[0].threads[1], runningMs: 0, slices: 0, meanSliceMs: null };
    expect(summaryText(never).split("\n").find((l) => l.includes("worker-1"))?.trim().split(/\s{2,}/).slice(-2)).toEqual(["0", "-"]);
    // A switch interval the program set is printed as set (0.0001 s * 1000 is 0.09999999999999999).
    const tiny = summarize(model);
    tiny.python.switchIntervalS = 0.0001;
    expect(summaryText(tiny)).toContain("switch interval 0.1 ms");
  });

  it("builds the same model incrementally, chunk by chunk, as in one go", () => {
    const w = new TraceWriter().process(PID, { startNs: T0 });
    const all = records();
    for (let i = 0; i < all.length; i += 4) w.events(PID, all.slice(i, i + 4));
    const bytes = w.end(PID, { endNs: ms(20) }).bytes();
    const d = new TraceDecoder();
    const builder = new ModelBuilder();
    for (let i = 0; i < bytes.length; i += 50) {
      d.push(bytes.subarray(i, i + 50));
      builder.feed(d.store).model(d.store); // snapshots must not disturb the fold
    }
    const live = builder.feed(d.finish()).model(d.store);
    expect(live.handoffs).toEqual(model.handoffs);
    expect(live.threads).toEqual(model.threads);
    expect(live.timelines).toEqual(model.timelines);
  });

  it("warns about a process with no end record and a decoding stop", () => {
    const bytes = new TraceWriter().process(PID, { startNs: T0 }).events(PID, records()).bytes();
    const m = buildModel(decodeTrace(bytes.subarray(0, bytes.length - 5)));
    expect(m.problem?.kind).toBe("truncated");
    expect(m.warnings.join("\n")).toMatch(/decoding stopped at byte \d+/);
    expect(m.warnings.join("\n")).toMatch(/process 77 has no end record/);
  });

  it("warns that a free-threaded process has no GIL to hand off", () => {
    const py = { executable: "/opt/python3.13t", version: "3.13.0", implementation: "cpython", gilEnabled: false, freeThreaded: true };
    const bytes = new TraceWriter().process(PID, { startNs: T0, python: py }).events(PID, records()).end(PID, { endNs: ms(20) }).bytes();
    const m = buildModel(decodeTrace(bytes));
    expect(m.processes[0].python).toMatchObject({ gilEnabled: false, freeThreaded: true });
    expect(m.warnings.join("\n")).toMatch(/GIL disabled \(free-threaded\)/);
  });
});
