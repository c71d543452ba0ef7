// The chart's rows: per process a GIL row on top, then one lane per thread. A process that ran with
// the GIL disabled (free-threaded) has no GIL row: a label row says so, and its lanes run in parallel.
import type { TimelineView } from "../src/protocol";

export interface Row {
  /** "noGil": the label row of a free-threaded process (nothing drawn in it). */
  kind: "gil" | "noGil" | "lane";
  pid: number;
  /** For lane rows: index into TimelineView.lanes; otherwise index into TimelineView.processes. */
  ref: number;
  label: string;
}

export function laneLabel(view: TimelineView, lane: number): string {
  const l = view.lanes[lane];
  return l.target ? `${l.name} \u00b7 ${l.target}` : l.name;
}

export function buildRows(view: TimelineView): Row[] {
  const rows: Row[] = [];
  view.processes.forEach((p, pi) => {
    const multi = view.processes.length > 1;
    const pid = multi ? ` (pid ${p.pid})` : "";
    rows.push(p.gilEnabled ? { kind: "gil", pid: p.pid, ref: pi, label: `GIL${pid}` } : { kind: "noGil", pid: p.pid, ref: pi, label: `free-threaded: no GIL${pid}` });
    for (const li of p.lanes) rows.push({ kind: "lane", pid: p.pid, ref: li, label: laneLabel(view, li) });
  });
  return rows;
}

/** Row index of each lane, -1 for lanes not shown. */
export function rowOfLane(rows: Row[], laneCount: number): number[] {
  const out = new Array<number>(laneCount).fill(-1);
  rows.forEach((r, i) => {
    if (r.kind === "lane") out[r.ref] = i;
  });
  return out;
}
