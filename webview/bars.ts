// Turns the view's columns into the bars chart.js draws at the current zoom, through the LOD.
import type { TimelineView } from "../src/protocol";
import { aggregate, mergeRuns, MIXED, type Block } from "./lod";
import type { Row } from "./rows";
import { HOLDER_COLOURS } from "./theme";

/** One floating bar; `lane`/`first`/`count` lead back to the source intervals for tooltips and clicks. */
export interface BarDatum {
  x: [number, number];
  y: number;
  /** Lane index (for GIL rows: the holder's lane, -1 when mixed). */
  lane: number;
  /** First source interval (lane intervals, or the process's GIL columns). */
  first: number;
  count: number;
  /** State code 0-2, 3 for mixed; for GIL rows the holder lane or -1. */
  key: number;
  gil: boolean;
}

/**
 * Dataset layout: 0 running, 1 waiting, 2 blocked, 3 mixed (lanes, and GIL rows with several
 * holders), then one dataset per holder colour, then the highlight. One colour per dataset keeps
 * chart.js from resolving options bar by bar (a scriptable colour cost more than the LOD saved).
 */
export const MIXED_STATE = 3;
export const HOLDER_BASE = 4;
export const HIGHLIGHT_SET = HOLDER_BASE + HOLDER_COLOURS;
export const DATASET_COUNT = HIGHLIGHT_SET + 1;

/** Intervals narrower than this many pixels merge; chart.js costs tens of microseconds per bar. */
const MIN_BLOCK_PX = 3;
/** Bars per redraw that keep a zoom or pan under ~50 ms; many lanes get wider blocks instead. */
export const BAR_BUDGET = 3000;

/** Block width in pixels: 3, or wider when rows x width would exceed the bar budget. */
export function blockPixels(rows: number, widthPx: number): number {
  return Math.max(MIN_BLOCK_PX, Math.ceil((rows * widthPx) / BAR_BUDGET));
}

/** Blocks in a lane's precomputed overview: zoomed-out redraws read these, not every interval. */
const OVERVIEW_BLOCKS = 4096;

interface Columns {
  start: ArrayLike<number>;
  end: ArrayLike<number>;
  key: ArrayLike<number>;
}

/** A lane (or GIL row) pre-aggregated at duration / OVERVIEW_BLOCKS, with the source index ranges. */
interface Overview extends Columns {
  blockMs: number;
  first: number[];
  count: number[];
}

const overviews = new WeakMap<object, Overview>();

function overviewOf(owner: object, c: Columns, durationMs: number): Overview {
  let o = overviews.get(owner);
  if (!o) {
    const blockMs = durationMs / OVERVIEW_BLOCKS;
    const blocks = aggregate(c.start, c.end, c.key, -Infinity, Infinity, blockMs);
    o = {
      blockMs,
      start: blocks.map((b) => b.start),
      end: blocks.map((b) => b.end),
      key: blocks.map((b) => b.key),
      first: blocks.map((b) => b.first),
      count: blocks.map((b) => b.count),
    };
    overviews.set(owner, o);
  }
  return o;
}

/**
 * The LOD blocks of one row. When blocks are at least as wide as the overview's, they are built
 * from the overview (a full-range redraw reads 4k blocks instead of every interval) and their
 * first/count are mapped back to the source intervals.
 */
function rowBlocks(owner: object, c: Columns, durationMs: number, t0: number, t1: number, block: number, msPerPixel: number): Block[] {
  const o = overviewOf(owner, c, durationMs);
  if (block < o.blockMs || o.start.length === 0) return mergeRuns(aggregate(c.start, c.end, c.key, t0, t1, block), msPerPixel);
  return mergeRuns(aggregate(o.start, o.end, o.key, t0, t1, block), msPerPixel).map((b) => {
    const last = b.first + b.count - 1;
    return { ...b, first: o.first[b.first], count: o.first[last] + o.count[last] - o.first[b.first] };
  });
}

export function buildBars(view: TimelineView, rows: Row[], t0: number, t1: number, msPerPixel: number): BarDatum[][] {
  const sets: BarDatum[][] = Array.from({ length: HIGHLIGHT_SET }, () => []);
  const block = msPerPixel * blockPixels(rows.length, (t1 - t0) / msPerPixel);
  rows.forEach((row, y) => {
    if (row.kind === "lane") {
      const iv = view.lanes[row.ref].intervals;
      for (const b of rowBlocks(iv, { start: iv.start, end: iv.end, key: iv.state }, view.durationMs, t0, t1, block, msPerPixel)) {
        const key = b.key === MIXED ? MIXED_STATE : b.key;
        sets[key].push({ x: [b.start, b.end], y, lane: row.ref, first: b.first, count: b.count, key, gil: false });
      }
    } else if (row.kind === "gil") {
      const gil = view.processes[row.ref].gil;
      for (const b of rowBlocks(gil, { start: gil.start, end: gil.end, key: gil.lane }, view.durationMs, t0, t1, block, msPerPixel)) {
        const holder = b.key === MIXED ? -1 : b.key;
        const set = holder < 0 ? MIXED_STATE : HOLDER_BASE + (holder % HOLDER_COLOURS);
        sets[set].push({ x: [b.start, b.end], y, lane: holder, first: b.first, count: b.count, key: holder, gil: true });
      }
    }
  });
  return sets;
}

/** Bars outlining the intervals that began at the given source line (capped: a line can run 100k times). */
export function highlightBars(view: TimelineView, rows: Row[], sites: Set<number>, t0: number, t1: number, limit = 5000): BarDatum[] {
  const out: BarDatum[] = [];
  if (sites.size === 0) return out;
  rows.forEach((row, y) => {
    if (row.kind !== "lane") return;
    const iv = view.lanes[row.ref].intervals;
    for (let i = 0; i < iv.site.length && out.length < limit; i++) {
      if (sites.has(iv.site[i]) && iv.end[i] >= t0 && iv.start[i] <= t1) {
        out.push({ x: [iv.start[i], iv.end[i]], y, lane: row.ref, first: i, count: 1, key: iv.state[i], gil: false });
      }
    }
  });
  return out;
}

/** Site ids of a source line. */
export function sitesAt(view: TimelineView, file: string, line: number): Set<number> {
  const out = new Set<number>();
  view.sites.forEach((s, i) => {
    if (s.line === line && s.file === file) out.add(i);
  });
  return out;
}
