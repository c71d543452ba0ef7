// Turns the view's columns into the bars chart.js draws at the current zoom, through the LOD.
import type { TimelineView } from "../src/protocol";
import { aggregate, MIXED } from "./lod";
import type { Row } from "./rows";

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
}

/** Bars per dataset: 0 running, 1 waiting, 2 blocked, 3 mixed, 4 GIL holders. */
export type BarSets = [BarDatum[], BarDatum[], BarDatum[], BarDatum[], BarDatum[]];
export const MIXED_STATE = 3;
export const GIL_SET = 4;

export function buildBars(view: TimelineView, rows: Row[], t0: number, t1: number, msPerPixel: number): BarSets {
  const sets: BarSets = [[], [], [], [], []];
  rows.forEach((row, y) => {
    if (row.kind === "lane") {
      const iv = view.lanes[row.ref].intervals;
      for (const b of aggregate(iv.start, iv.end, iv.state, t0, t1, msPerPixel)) {
        const key = b.key === MIXED ? MIXED_STATE : b.key;
        sets[key]?.push({ x: [b.start, b.end], y, lane: row.ref, first: b.first, count: b.count, key });
      }
    } else {
      const gil = view.processes[row.ref].gil;
      for (const b of aggregate(gil.start, gil.end, gil.lane, t0, t1, msPerPixel)) {
        const holder = b.key === MIXED ? -1 : b.key;
        sets[GIL_SET].push({ x: [b.start, b.end], y, lane: holder, first: b.first, count: b.count, key: holder });
      }
    }
  });
  return sets;
}

/** Bars outlining the intervals that began at the given source line (capped: a line can run 100k times). */
export function highlightBars(view: TimelineView, rows: Row[], sites: Set<number>, limit = 5000): BarDatum[] {
  const out: BarDatum[] = [];
  if (sites.size === 0) return out;
  rows.forEach((row, y) => {
    if (row.kind !== "lane") return;
    const iv = view.lanes[row.ref].intervals;
    for (let i = 0; i < iv.site.length && out.length < limit; i++) {
      if (sites.has(iv.site[i])) out.push({ x: [iv.start[i], iv.end[i]], y, lane: row.ref, first: i, count: 1, key: iv.state[i] });
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
