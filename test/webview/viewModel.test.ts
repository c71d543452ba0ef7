import { describe, expect, it } from "vitest";
import { buildTimelineView } from "../../src/panel/viewModel";
import { HANDOFF_REASONS, isHostToWebview, type HostToWebview } from "../../src/protocol";
import { counterRace, makeModel, site } from "./fixtures";

/** Two CPU-bound workers taking turns every 5 ms, plus a main thread blocked in join. */
function cpuBound() {
  const a: [number, number, number, number?, number?][] = [];
  const b: [number, number, number, number?, number?][] = [];
  for (let t = 0; t < 100; t += 10) {
    a.push([t, t + 5, 0, 0, 0], [t + 5, t + 10, 1]);
    b.push([t, t + 5, 1], [t + 5, t + 10, 0, 0, 1]);
  }
  return makeModel(
    [
      { name: "MainThread", index: 0, intervals: [[0, 100, 2, 3]] },
      { name: "worker-1", index: 1, target: site(3), intervals: a },
      { name: "worker-2", index: 2, target: site(3), intervals: b },
    ],
    {
      sites: [site(4), site(5)],
      handoffs: Array.from({ length: 19 }, (_, i) => ({
        timeMs: 5 * (i + 1),
        pid: 100,
        from: i % 2 === 0 ? "100:1" : "100:2",
        to: i % 2 === 0 ? "100:2" : "100:1",
        reason: "preempted" as const,
        site: site(4),
      })),
    },
  );
}

describe("buildTimelineView", () => {
  it("has one lane per thread, grouped by process, with plain-array intervals", () => {
    const view = buildTimelineView(cpuBound(), { title: "cpu" });
    expect(view.lanes.map((l) => l.name)).toEqual(["MainThread", "worker-1", "worker-2"]);
    expect(view.processes).toHaveLength(1);
    expect(view.processes[0].lanes).toEqual([0, 1, 2]);
    expect(Array.isArray(view.lanes[1].intervals.start)).toBe(true);
    expect(view.lanes[1].intervals.start.slice(0, 2)).toEqual([0, 5]);
    expect(view.lanes[1].target).toBe("work()");
    expect(view.lanes[1].gilShare).toBeCloseTo(0.5, 6);
    expect(view.blockKinds[view.lanes[0].intervals.blockKind[0]]).toBe("join");
  });

  it("interns sites so intervals and handoffs point into one table", () => {
    const view = buildTimelineView(cpuBound(), { title: "cpu" });
    const firstRunning = view.lanes[1].intervals.site[0];
    expect(view.sites[firstRunning]).toEqual({ file: "/lab/script.py", line: 4, function: "work" });
    expect(view.sites[view.handoffs.site[0]].line).toBe(4);
    expect(view.handoffs.from[0]).toBe(1);
    expect(view.handoffs.to[0]).toBe(2);
    expect(HANDOFF_REASONS[view.handoffs.reason[0]]).toBe("preempted");
  });

  it("builds the GIL row from the running intervals, holder by lane", () => {
    const view = buildTimelineView(cpuBound(), { title: "cpu" });
    const gil = view.processes[0].gil;
    expect(gil.start.slice(0, 4)).toEqual([0, 5, 10, 15]);
    expect(gil.lane.slice(0, 4)).toEqual([1, 2, 1, 2]);
    for (let i = 1; i < gil.start.length; i++) expect(gil.start[i]).toBeGreaterThanOrEqual(gil.end[i - 1]);
  });

  it("says CPU-bound threads do not speed up", () => {
    const view = buildTimelineView(cpuBound(), { title: "cpu" });
    expect(view.verdict.join(" ")).toMatch(/CPU-bound threads: no speed-up under the GIL/);
    expect(view.processes[0].gilMode).toMatch(/switch interval 5 ms/);
    expect(view.processes[0].wallMs).toBe(100);
  });

  it("says sleeping threads overlap", () => {
    const sleeper = (index: number) => ({ name: `s${index}`, index, intervals: [[0, 1, 0], [1, 50, 2, 1], [50, 51, 0]] as [number, number, number, number?][] });
    const view = buildTimelineView(makeModel([sleeper(1), sleeper(2), sleeper(3)]), { title: "sleep" });
    expect(view.verdict.join(" ")).toMatch(/Blocking threads overlap/);
    expect(view.verdict.join(" ")).not.toMatch(/CPU-bound/);
  });

  it("says lock-bound threads are serialised by the lock, not that they overlap", () => {
    // block kind 2 = "lock" in BLOCK_KINDS
    const locker = (index: number) => ({ name: `l${index}`, index, intervals: [[0, 1, 0], [1, 50, 2, 2], [50, 51, 0]] as [number, number, number, number?][] });
    const view = buildTimelineView(makeModel([locker(1), locker(2), locker(3)]), { title: "locked" });
    expect(view.verdict.join(" ")).toMatch(/Threads queue for a lock/);
    expect(view.verdict.join(" ")).not.toMatch(/overlap/);
  });

  it("filters threads by id or name and drops handoffs to hidden lanes", () => {
    const view = buildTimelineView(cpuBound(), { title: "cpu", filterThreads: ["worker-1", "100:0"] });
    expect(view.lanes.map((l) => l.name)).toEqual(["MainThread", "worker-1"]);
    expect(view.handoffs.to.every((t) => t === 1)).toBe(true);
    expect(view.handoffs.from.every((f) => f === -1)).toBe(true);
  });

  it("maps race accesses and interleaving steps to lanes", () => {
    const race = counterRace("/lab/script.py");
    const model = cpuBound();
    model.races = [race];
    const view = buildTimelineView(model, { title: "race" });
    expect(view.races[0].accesses.map((a) => a.lane)).toEqual([1, 2]);
    expect(view.races[0].interleaving[2]).toMatchObject({ lane: 2, threadName: "worker-2", note: "lost update" });
    expect(view.races[0].interleaving[0]).toMatchObject({ lane: 1, threadName: "worker-1", note: null });
    expect(view.verdict[0]).toMatch(/Race on `counter`.*can happen without the tracer/);
  });

  it("survives a JSON round trip unchanged and passes the protocol check", () => {
    const view = buildTimelineView(cpuBound(), { title: "cpu" });
    const message: HostToWebview = { type: "model", view };
    const copy: unknown = JSON.parse(JSON.stringify(message));
    expect(copy).toEqual(message);
    expect(isHostToWebview(copy)).toBe(true);
  });
});
