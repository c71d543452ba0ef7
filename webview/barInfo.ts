// What a bar stands for, in words (tooltips) and as a source place (clicks). Pure, so it is unit-tested.
import { STATE_NAMES, type SiteView, type TimelineView } from "../src/protocol";
import { MIXED_STATE, type BarDatum } from "./bars";
import { formatDuration, formatTime } from "./format";
import { lowerBound, upperBound } from "./lod";

export const STATE_LABELS = ["running (holds the GIL)", "waiting for the GIL", "blocked", "mixed"];

/** Where the pointer is over a bar, so a merged bar can name the interval under it. */
export interface Pointer {
  ms: number;
  msPerPixel: number;
}

/** `at 5.0 ms for 5 ms`: where a bar or interval starts, and how long it lasts. */
function spanText(start: number, end: number): string {
  return `at ${formatTime(start, end - start)} for ${formatDuration(end - start)}`;
}

export function describeBar(view: TimelineView, b: BarDatum, pointer?: Pointer): string[] {
  const span = spanText(b.x[0], b.x[1]);
  if (b.gil) {
    return b.lane < 0 ? [`${b.count} slices, several holders (zoom in)`, span] : [`held by ${view.lanes[b.lane].name}${b.count > 1 ? ` (${b.count} slices)` : ""}`, span];
  }
  if (b.count === 1) return describeInterval(view, b.lane, b.first);
  const merged = `${b.count} intervals merged at this zoom: ${b.key === MIXED_STATE ? "mixed states" : `mostly ${STATE_NAMES[b.key]}`}`;
  // A bar merges same-state neighbours too: the one under the pointer, if it is a pixel wide or more,
  // is a real interval the user sees, and says what it is (blocked on what, where).
  const i = pointer ? intervalUnder(view, b, pointer) : -1;
  return i < 0 ? [merged, span] : [...describeInterval(view, b.lane, i), `(one of ${merged})`];
}

function describeInterval(view: TimelineView, lane: number, i: number): string[] {
  const iv = view.lanes[lane].intervals;
  const state = iv.state[i];
  const lines = [
    `${STATE_LABELS[state] ?? "?"}${state === 2 ? ` on ${view.blockKinds[iv.blockKind[i]] ?? "other"}` : ""}`,
    spanText(iv.start[i], iv.end[i]),
  ];
  const site = view.sites[iv.site[i]];
  if (site) lines.push(`${site.function} at ${site.file}:${site.line}${site.instruction ? ` (${site.instruction})` : ""}`);
  return lines;
}

/** The merged interval of bar `b` under the pointer when it is at least a pixel wide, else -1. */
function intervalUnder(view: TimelineView, b: BarDatum, pointer: Pointer): number {
  const iv = view.lanes[b.lane].intervals;
  const i = Math.max(lowerBound(iv.end, pointer.ms), b.first);
  if (i >= b.first + b.count || iv.start[i] > pointer.ms) return -1;
  return iv.end[i] - iv.start[i] >= pointer.msPerPixel ? i : -1;
}

/** Where a click on the bar should take the editor: its interval's site, or the first merged one that has one. */
export function siteOfBar(view: TimelineView, b: BarDatum): SiteView | null {
  if (b.lane < 0) return null;
  const iv = view.lanes[b.lane].intervals;
  if (b.gil) {
    // A GIL bar: the holder's interval that contains the bar's start.
    const i = upperBound(iv.end, b.x[0]);
    return view.sites[iv.site[i]] ?? null;
  }
  for (let i = b.first; i < b.first + b.count; i++) if (iv.site[i] >= 0) return view.sites[iv.site[i]] ?? null;
  return null;
}
