import { describe, expect, it } from "vitest";
import { buildTimelineView } from "../../src/panel/viewModel";
import { describeBar, siteOfBar } from "../../webview/barInfo";
import type { BarDatum } from "../../webview/bars";
import { makeModel, site } from "./fixtures";

const view = buildTimelineView(
  makeModel(
    [
      { name: "MainThread", index: 0, intervals: [[0, 10, 2, 3, -1]] },
      { name: "worker", index: 1, intervals: [[0, 4, 0, 0, -1], [4, 5, 0, 0, 1], [5, 10, 2, 1, 0]] },
    ],
    { sites: [site(12, "work"), site(14, "work")] },
  ),
  { title: "t" },
);
const bar = (b: Partial<BarDatum>): BarDatum => ({ x: [0, 1], y: 1, lane: 1, first: 0, count: 1, key: 0, gil: false, ...b });

describe("describeBar", () => {
  it("names a blocked interval's block kind and its site", () => {
    expect(describeBar(view, bar({ x: [5, 10], first: 2, key: 2 }))).toEqual(["blocked on sleep", "at 5.0 ms for 5 ms", "work at /lab/script.py:12"]);
    expect(describeBar(view, bar({ lane: 0, x: [0, 10], key: 2 }))[0]).toBe("blocked on join");
  });

  it("says when intervals are merged and who held the GIL", () => {
    expect(describeBar(view, bar({ count: 3, key: 0 }))[0]).toBe("3 intervals merged at this zoom: mostly running");
    expect(describeBar(view, bar({ count: 3, key: 3 }))[0]).toBe("3 intervals merged at this zoom: mixed states");
    expect(describeBar(view, bar({ gil: true, lane: 1, count: 2 }))[0]).toBe("held by worker (2 slices)");
  });

  it("names the interval under the pointer in a merged bar when it is a pixel wide or more", () => {
    const merged = bar({ x: [0, 10], first: 0, count: 3, key: 0 });
    // Over the blocked interval [5, 10] at 1 ms per pixel: that interval, then what the bar merges.
    expect(describeBar(view, merged, { ms: 7, msPerPixel: 1 })).toEqual([
      "blocked on sleep", "at 5.0 ms for 5 ms", "work at /lab/script.py:12",
      "(one of 3 intervals merged at this zoom: mostly running)",
    ]);
    // The same interval narrower than a pixel, or no pointer: the merged summary alone.
    expect(describeBar(view, merged, { ms: 7, msPerPixel: 6 })[0]).toBe("3 intervals merged at this zoom: mostly running");
    expect(describeBar(view, merged)[0]).toBe("3 intervals merged at this zoom: mostly running");
    // A pointer outside the bar's intervals (another bar's) names nothing.
    expect(describeBar(view, bar({ x: [0, 5], first: 0, count: 2, key: 0 }), { ms: 7, msPerPixel: 1 })[0]).toBe("2 intervals merged at this zoom: mostly running");
  });
});

describe("siteOfBar", () => {
  it("takes the first site among merged intervals", () => {
    expect(siteOfBar(view, bar({ first: 0, count: 3 }))?.line).toBe(14);
    expect(siteOfBar(view, bar({ first: 0, count: 1 }))).toBeNull();
  });

  it("takes the holder's interval under a GIL bar", () => {
    expect(siteOfBar(view, bar({ gil: true, lane: 1, x: [4.2, 4.8] }))?.line).toBe(14);
    expect(siteOfBar(view, bar({ gil: true, lane: -1 }))).toBeNull();
  });
});
