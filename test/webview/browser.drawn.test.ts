// What the canvas really draws, read back in headless Chromium: the tooltip of a blocked bar, handoff
// marks by reason with the dash each was stroked with, the switch-interval scale, and the race markers
// (counted as drawn, and clicked through the overlay's hit test). Real lab traces where the figures
// come from a run, hand-made models where the expected answer must be exact.
import { describe, expect, it } from "vitest";
import { HANDOFF_REASONS, type TimelineView } from "../../src/protocol";
import { buildTimelineView } from "../../src/panel/viewModel";
import type { HandoffReason } from "../../src/trace/types";
import { testPythons } from "../helpers/pythons";
import type { WebviewPage } from "./harness/browser";
import { traceExample } from "./harness/realViews";
import { lastReveal, show, useBrowser } from "./harness/session";
import { counterRace, makeModel, site } from "./fixtures";

const pythons = testPythons();
const newest = pythons[pythons.length - 1];
const browser = useBrowser();

/** The plot's pixel box and visible time range, as the chart publishes them after each render. */
async function plot(w: WebviewPage) {
  const canvas = w.page.locator(".chart canvas");
  const [left, top, right, bottom] = ((await canvas.getAttribute("data-area")) ?? "").split(",").map(Number);
  const [min, max] = ((await canvas.getAttribute("data-range")) ?? "").split(",").map(Number);
  return {
    canvas, left, top, right, bottom, min, max,
    x: (t: number) => left + ((t - min) / (max - min)) * (right - left),
    /** Centre of row `row` of `rows` (rows are evenly spread over the plot). */
    y: (row: number, rows: number) => top + ((row + 0.5) * (bottom - top)) / rows,
  };
}

const rowCount = (view: TimelineView) => view.processes.length + view.lanes.length;
/** Row of a lane in a single-process view: the GIL row, then the lanes in display order. */
const rowOf = (view: TimelineView, lane: number) => 1 + view.processes[0].lanes.indexOf(lane);

function counts(attr: string | null): Record<string, string> {
  return Object.fromEntries((attr ?? "").split(" ").filter(Boolean).map((kv) => kv.split(":") as [string, string]));
}

describe("tooltips (real trace)", () => {
  it("01_sleeping_threads: hovering a blocked bar names what it is blocked on", async () => {
    const { view } = await traceExample(newest.executable, "01_sleeping_threads");
    const w = await show(browser(), view, null);
    const p = await plot(w);
    const box = await p.canvas.boundingBox();
    if (!box) throw new Error("no canvas box");
    // The longest blocked interval of a worker (time.sleep) and of MainThread (join).
    const longestBlocked = (lane: number) => {
      const iv = view.lanes[lane].intervals;
      let pick = -1;
      for (let i = 0; i < iv.start.length; i++) {
        if (iv.state[i] === 2 && (pick < 0 || iv.end[i] - iv.start[i] > iv.end[pick] - iv.start[pick])) pick = i;
      }
      return pick;
    };
    const worker = view.lanes.findIndex((l) => l.name.startsWith("worker-"));
    const main = view.lanes.findIndex((l) => l.name === "MainThread");
    const expected: [number, string][] = [[worker, "sleep"], [main, "join"]];
    for (const [lane, kind] of expected) {
      const i = longestBlocked(lane);
      expect(i).toBeGreaterThanOrEqual(0);
      const iv = view.lanes[lane].intervals;
      expect(view.blockKinds[iv.blockKind[i]]).toBe(kind);
      expect(p.x(iv.end[i]) - p.x(iv.start[i])).toBeGreaterThan(20);
      await w.page.mouse.move(box.x + p.x((iv.start[i] + iv.end[i]) / 2), box.y + p.y(rowOf(view, lane), rowCount(view)));
      await expect.poll(() => p.canvas.getAttribute("data-tooltip")).toMatch(new RegExp(`^${view.lanes[lane].name}\\b[^\\n]*\\nblocked on ${kind}\\n`));
    }
    // Off the chart, no tooltip.
    await w.page.mouse.move(box.x + box.width / 2, box.y + box.height + 40);
    await expect.poll(() => p.canvas.getAttribute("data-tooltip")).toBeNull();
    await w.close();
  });
});

describe("tooltips (merged bar)", () => {
  it("a long blocked interval merged with its same-state neighbours still names itself under the pointer", async () => {
    // MainThread wakes for a microsecond between two joins: at full zoom the sliver and the joins
    // make one "mostly blocked" bar, but the pointer over the first join is over that interval.
    const model = makeModel([
      { name: "MainThread", index: 0, intervals: [[0, 40, 2, 3, -1], [40, 40.001, 0, 0, -1], [40.001, 40.1, 2, 3, -1], [40.1, 100, 2, 3, -1]] },
      { name: "worker", index: 1, intervals: [[0, 100, 0, 0, -1]] },
    ]);
    const view = buildTimelineView(model, { title: "merged" });
    const w = await show(browser(), view, null);
    const p = await plot(w);
    const box = await p.canvas.boundingBox();
    if (!box) throw new Error("no canvas box");
    await w.page.mouse.move(box.x + p.x(20), box.y + p.y(rowOf(view, 0), rowCount(view)));
    await expect.poll(() => p.canvas.getAttribute("data-tooltip")).toMatch(
      /^MainThread\b[^\n]*\nblocked on join\nat 0 ms for 40 ms\n\(one of 4 intervals merged at this zoom: mostly blocked\)$/,
    );
    await w.close();
  });
});

describe("handoff marks", () => {
  it("one handoff of each reason: each is drawn once, stroked with its reason's dash as the legend says", async () => {
    const reasons: HandoffReason[] = ["blocking", "preempted", "threadExit", "threadStart", "lockWait"];
    const model = makeModel(
      [
        { name: "a", index: 1, intervals: [[0, 2, 0], [2, 4, 1], [4, 6, 0], [6, 8, 1], [8, 10, 0]] },
        { name: "b", index: 2, intervals: [[0, 2, 1], [2, 4, 0], [4, 6, 1], [6, 8, 0], [8, 10, 1]] },
      ],
      { handoffs: reasons.map((reason, i) => ({ timeMs: 1 + 2 * i, pid: 100, from: i % 2 ? "100:2" : "100:1", to: i % 2 ? "100:1" : "100:2", reason, site: site(10 + i) })) },
    );
    const w = await show(browser(), buildTimelineView(model, { title: "handoffs" }), null);
    const canvas = w.page.locator(".chart canvas");
    expect(counts(await canvas.getAttribute("data-handoffs-drawn"))).toEqual(Object.fromEntries(reasons.map((r) => [r, "1"])));
    const dash = counts(await canvas.getAttribute("data-handoff-dash"));
    const segments = (r: string) => (dash[r] === "solid" ? [] : dash[r].split(",").map(Number));
    // The legend's words: blocking solid, preempted dashed, thread start/exit dotted, lock wait dash-dot.
    expect(segments("blocking")).toEqual([]);
    expect(segments("preempted")).toHaveLength(2);
    for (const r of ["threadStart", "threadExit"]) expect(segments(r)[0]).toBeLessThanOrEqual(1.5);
    expect(segments("lockWait")).toHaveLength(4);
    expect(new Set([dash.blocking, dash.preempted, dash.threadStart, dash.lockWait]).size).toBe(4);
    const legend = await w.page.locator(".legend .key").allTextContents();
    for (const words of ["blocking call (solid)", "preempted (dashed)", "thread start (dotted)", "thread exit (dotted)", "lock wait (dash-dot)"]) {
      expect(legend).toContain(`handoff: ${words}`);
    }
    // A highlighted editor line draws its handoffs apart, in the highlight style.
    await w.send({ type: "highlight", file: "/lab/script.py", line: 11 });
    await expect.poll(async () => counts(await canvas.getAttribute("data-handoffs-drawn"))).toEqual({ blocking: "1", highlighted: "1", threadExit: "1", threadStart: "1", lockWait: "1" });
    await w.close();
  });

  it(`05_counter_locked on ${newest.version}: the drawn marks by reason never exceed the run's, lock waits are drawn`, async () => {
    const { view } = await traceExample(newest.executable, "05_counter_locked");
    const w = await show(browser(), view, null);
    const drawn = counts(await w.page.locator(".chart canvas").getAttribute("data-handoffs-drawn"));
    const total = (r: number) => view.handoffs.reason.filter((x) => x === r).length;
    expect(Object.keys(drawn).every((r) => (HANDOFF_REASONS as readonly string[]).includes(r))).toBe(true);
    HANDOFF_REASONS.forEach((r, i) => expect(Number(drawn[r] ?? 0)).toBeLessThanOrEqual(total(i)));
    expect(total(HANDOFF_REASONS.indexOf("lockWait"))).toBeGreaterThan(0);
    expect(Number(drawn.lockWait)).toBeGreaterThan(0);
    expect(Object.values(drawn).reduce((s, n) => s + Number(n), 0)).toBeGreaterThan(0);
    await w.close();
  });
});

describe("switch-interval scale", () => {
  it(`02_cpu_bound_threads on ${newest.version}: a bracket as wide as the switch interval at the zoom, or a hint to zoom`, async () => {
    const { view } = await traceExample(newest.executable, "02_cpu_bound_threads");
    const w = await show(browser(), view, null);
    const interval = view.processes[0].switchIntervalMs;
    expect(interval).toBeGreaterThan(0);
    const seen = new Set<string>();
    await w.page.locator(".chart").focus();
    for (let step = 0; step < 24 && !seen.has("zoom out"); step++) {
      const p = await plot(w);
      const expected = interval / ((p.max - p.min) / (p.right - p.left));
      const scale = await p.canvas.getAttribute("data-switch-scale");
      const label = (await p.canvas.getAttribute("data-switch-scale-label")) ?? "";
      expect(label).toMatch(/^switch interval \d/);
      if (expected >= 4 && expected <= 0.6 * (p.right - p.left)) {
        expect(Number(scale)).toBeCloseTo(expected, 1);
        expect(label).not.toMatch(/to compare/);
        seen.add("bar");
      } else {
        expect(scale).toBe("none");
        const hint = expected < 4 ? "zoom in" : "zoom out";
        expect(label).toMatch(new RegExp(`\\(${hint} to compare\\)$`));
        seen.add(hint);
      }
      await w.page.keyboard.press("+");
    }
    expect(seen.has("bar")).toBe(true);
    expect(seen.has("zoom out")).toBe(true);
    await w.close();
  });

  it("a free-threaded run has no switch interval to draw", async () => {
    const model = makeModel([{ name: "a", index: 1, intervals: [[0, 10, 0]] }]);
    model.processes[0].python = { ...model.processes[0].python, gilEnabled: false, freeThreaded: true };
    const w = await show(browser(), buildTimelineView(model, { title: "free" }), null);
    expect(await w.page.locator(".chart canvas").getAttribute("data-switch-scale")).toBeNull();
    await w.close();
  });
});

describe("race markers (hand-made races)", () => {
  const first = counterRace();
  const second = {
    ...counterRace(),
    variable: "total",
    accesses: [
      { thread: "100:1", op: "read" as const, instruction: "LOAD_GLOBAL", file: "/lab/race.py", line: 20, timeMs: 8 },
      { thread: "100:2", op: "write" as const, instruction: "STORE_GLOBAL", file: "/lab/race.py", line: 21, timeMs: 9 },
    ],
    interleaving: [],
  };
  const model = makeModel(
    [
      { name: "a", index: 1, intervals: [[0, 5, 0], [5, 10, 1]] },
      { name: "b", index: 2, intervals: [[0, 5, 1], [5, 10, 0]] },
    ],
    { races: [first, second] },
  );
  const view = buildTimelineView(model, { title: "races" });

  it("counts the markers drawn, not the accesses: zoomed in, those out of view are not drawn", async () => {
    const w = await show(browser(), view, null);
    const canvas = w.page.locator(".chart canvas");
    expect(await canvas.getAttribute("data-race-markers")).toBe("4");
    await w.page.locator(".chart").focus();
    for (let i = 0; i < 3; i++) await w.page.keyboard.press("+");
    const { min, max } = await plot(w);
    const inView = view.races.flatMap((r) => r.accesses).filter((a) => a.timeMs >= min && a.timeMs <= max).length;
    expect(inView).toBeLessThan(4);
    expect(await canvas.getAttribute("data-race-markers")).toBe(String(inView));
    await w.close();
  });

  it("clicking a marker on the canvas selects its race: the list, the explainer, the host", async () => {
    const w = await show(browser(), view, null);
    expect(await w.page.locator(".explainer").isHidden()).toBe(true);
    const p = await plot(w);
    // The read of `total` by a (row 1) at 8 ms; markers sit 9 px above their lane's centre.
    await p.canvas.click({ position: { x: p.x(8), y: p.y(1, 3) - 9 } });
    expect(await w.page.locator('[data-race="1"]').getAttribute("aria-selected")).toBe("true");
    expect(await w.page.locator('[data-race="0"]').getAttribute("aria-selected")).toBe("false");
    expect(await w.page.locator(".explainer").isVisible()).toBe(true);
    expect(await w.page.locator(".explainer h3").textContent()).toMatch(/^Race on total/);
    expect((await w.posted()).filter((m) => m.type === "selectRace").at(-1)).toEqual({ type: "selectRace", index: 1 });
    expect(await lastReveal(w)).toEqual({ type: "reveal", file: "/lab/race.py", line: 20 });
    // Next to a marker (on a's running bar, away from any mark) selects nothing new.
    await p.canvas.click({ position: { x: p.x(2), y: p.y(1, 3) + 6 } });
    expect((await w.posted()).filter((m) => m.type === "selectRace")).toHaveLength(1);
    await w.close();
  });
});
