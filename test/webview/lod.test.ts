import { describe, expect, it } from "vitest";
import { aggregate, mergeRuns, MIXED, thinPoints, upperBound, lowerBound } from "../../webview/lod";

/** Back-to-back intervals of the given widths starting at 0, with the given keys. */
function lane(widths: number[], keys: number[]): { start: number[]; end: number[]; key: number[] } {
  const start: number[] = [];
  const end: number[] = [];
  let t = 0;
  for (const w of widths) {
    start.push(t);
    t += w;
    end.push(t);
  }
  return { start, end, key: keys };
}

describe("aggregate", () => {
  it("keeps intervals wider than a pixel exactly as they are", () => {
    const l = lane([5, 5, 5], [0, 1, 2]);
    const blocks = aggregate(l.start, l.end, l.key, 0, 15, 1);
    expect(blocks).toEqual([
      { start: 0, end: 5, key: 0, first: 0, count: 1 },
      { start: 5, end: 10, key: 1, first: 1, count: 1 },
      { start: 10, end: 15, key: 2, first: 2, count: 1 },
    ]);
  });

  it("merges sub-pixel intervals into pixel-wide blocks with the dominant key", () => {
    // 1000 intervals of 0.01 ms, 9 of 10 running (0), at 1 ms per pixel -> 10 blocks, all running.
    const widths = new Array(1000).fill(0.01);
    const keys = widths.map((_, i) => (i % 10 === 9 ? 1 : 0));
    const l = lane(widths, keys);
    const blocks = aggregate(l.start, l.end, l.key, 0, 10, 1);
    expect(blocks.length).toBeGreaterThanOrEqual(9);
    expect(blocks.length).toBeLessThanOrEqual(11);
    expect(blocks.every((b) => b.key === 0)).toBe(true);
    expect(blocks.reduce((n, b) => n + b.count, 0)).toBe(1000);
    expect(blocks[0].start).toBe(0);
    expect(blocks[blocks.length - 1].end).toBeCloseTo(10, 9);
  });

  it("marks a block MIXED when no key covers two thirds of it", () => {
    const l = lane(new Array(100).fill(0.01), Array.from({ length: 100 }, (_, i) => i % 2));
    const blocks = aggregate(l.start, l.end, l.key, 0, 1, 1);
    expect(blocks).toHaveLength(1);
    expect(blocks[0].key).toBe(MIXED);
    expect(blocks[0].count).toBe(100);
  });

  it("does not bridge a gap of a pixel or more", () => {
    const start = [0, 0.1, 5, 5.1];
    const end = [0.1, 0.2, 5.1, 5.2];
    const blocks = aggregate(start, end, [0, 0, 0, 0], 0, 10, 1);
    expect(blocks.map((b) => [b.start, b.end])).toEqual([
      [0, 0.2],
      [5, 5.2],
    ]);
  });

  it("only returns intervals that overlap the visible range", () => {
    const l = lane(new Array(100).fill(1), new Array(100).fill(0));
    const blocks = aggregate(l.start, l.end, l.key, 40.5, 45, 0.1);
    expect(blocks.map((b) => b.first)).toEqual([40, 41, 42, 43, 44]);
  });

  it("bounds the output by the pixel count, whatever the interval count", () => {
    const widths = new Array(100_000).fill(0.001);
    const l = lane(widths, widths.map((_, i) => i % 3));
    const pixels = 800;
    const blocks = aggregate(l.start, l.end, l.key, 0, 100, 100 / pixels);
    expect(blocks.length).toBeLessThanOrEqual(pixels + 1);
    expect(blocks.reduce((n, b) => n + b.count, 0)).toBe(100_000);
  });
});

describe("thinPoints", () => {
  it("keeps at most one point per pixel column inside the range", () => {
    const time = [0, 0.1, 0.2, 1.5, 2.9, 3.0, 10];
    expect(thinPoints(time, 0, 5, 1)).toEqual([0, 3, 4, 5]);
  });
});

describe("binary searches", () => {
  it("agree with a linear scan", () => {
    const arr = [1, 2, 2, 3, 5, 8];
    for (const x of [0, 1, 2, 2.5, 8, 9]) {
      expect(lowerBound(arr, x)).toBe(arr.findIndex((v) => v >= x) === -1 ? arr.length : arr.findIndex((v) => v >= x));
      expect(upperBound(arr, x)).toBe(arr.findIndex((v) => v > x) === -1 ? arr.length : arr.findIndex((v) => v > x));
    }
  });
});

describe("mergeRuns", () => {
  it("joins touching blocks of one key and keeps the others apart", () => {
    const blocks = [
      { start: 0, end: 1, key: 1, first: 0, count: 3 },
      { start: 1, end: 2, key: 1, first: 3, count: 2 },
      { start: 2, end: 3, key: 0, first: 5, count: 1 },
      { start: 3, end: 4, key: 1, first: 6, count: 1 },
      { start: 9, end: 10, key: 1, first: 7, count: 1 },
    ];
    expect(mergeRuns(blocks, 1)).toEqual([
      { start: 0, end: 2, key: 1, first: 0, count: 5 },
      { start: 2, end: 3, key: 0, first: 5, count: 1 },
      { start: 3, end: 4, key: 1, first: 6, count: 1 },
      { start: 9, end: 10, key: 1, first: 7, count: 1 },
    ]);
    expect(blocks[0].end).toBe(1);
  });

  it("turns a fully zoomed-out round-robin lane into one bar", () => {
    // 8 threads taking turns: this lane runs 1 ms in every 8, so each pixel is mostly waiting.
    const start: number[] = [];
    const end: number[] = [];
    const key: number[] = [];
    for (let t = 0; t < 8000; t += 8) {
      start.push(t, t + 1);
      end.push(t + 1, t + 8);
      key.push(0, 1);
    }
    const msPerPixel = 8000 / 800;
    expect(mergeRuns(aggregate(start, end, key, 0, 8000, msPerPixel), msPerPixel)).toHaveLength(1);
  });
});
