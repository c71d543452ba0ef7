import { describe, expect, it } from "vitest";
import { BAR_BUDGET, buildBars, blockPixels } from "../../webview/bars";
import { buildRows } from "../../webview/rows";
import { buildTimelineView } from "../../src/panel/viewModel";
import { makeModel, type Interval } from "./fixtures";

/** `lanes` threads taking turns in 1 ms slices for `ms` milliseconds. */
function roundRobin(lanes: number, ms: number) {
  return makeModel(
    Array.from({ length: lanes }, (_, lane) => {
      const intervals: Interval[] = [];
      for (let t = 0; t < ms; t += lanes) {
        if (lane > 0) intervals.push([t, t + lane, 1]);
        intervals.push([t + lane, t + lane + 1, 0]);
        if (lane < lanes - 1) intervals.push([t + lane + 1, t + lanes, 1]);
      }
      return { name: `t${lane}`, index: lane + 1, intervals };
    }),
  );
}

describe("buildBars", () => {
  it("stays within the bar budget at every zoom, however many lanes", () => {
    const view = buildTimelineView(roundRobin(40, 40_000), { title: "many" });
    const rows = buildRows(view);
    const width = 1000;
    for (const span of [40_000, 4_000, 400, 40]) {
      const sets = buildBars(view, rows, 1000, 1000 + span, span / width);
      const bars = sets.reduce((n, s) => n + s.length, 0);
      // Each row yields at most one bar per block, plus one for a block cut at the range's edges.
      expect(bars).toBeLessThanOrEqual(BAR_BUDGET + 2 * rows.length);
    }
  });

  it("shows every interval as it is once it is wide enough", () => {
    const view = buildTimelineView(roundRobin(4, 400), { title: "few" });
    const rows = buildRows(view);
    const sets = buildBars(view, rows, 0, 40, 40 / 1000);
    const lane0Running = sets[0].filter((b) => b.lane === 0);
    expect(lane0Running.map((b) => b.x)).toEqual(Array.from({ length: 10 }, (_, i) => [4 * i, 4 * i + 1]));
    expect(lane0Running.every((b) => b.count === 1)).toBe(true);
  });

  it("zoomed out, reads the overview but still points at the source intervals", () => {
    const view = buildTimelineView(roundRobin(4, 200_000), { title: "long" });
    const rows = buildRows(view);
    const sets = buildBars(view, rows, 0, view.durationMs, view.durationMs / 500);
    const lane = 2;
    const bars = sets.slice(0, 4).flat().filter((b) => b.lane === lane && !b.gil).sort((a, b) => a.x[0] - b.x[0]);
    const iv = view.lanes[lane].intervals;
    expect(bars.reduce((n, b) => n + b.count, 0)).toBe(iv.start.length);
    let next = 0;
    for (const b of bars) {
      expect(b.first).toBe(next);
      expect(iv.start[b.first]).toBe(b.x[0]);
      next = b.first + b.count;
    }
  });

  it("widens blocks only when rows x pixels would exceed the budget", () => {
    expect(blockPixels(9, 870)).toBe(3);
    expect(blockPixels(60, 1000)).toBe(20);
  });
});
