// What a bar stands for, in words (tooltips) and as a source place (clicks). Pure, so it is unit-tested.
import { STATE_NAMES, type SiteView, type TimelineView } from "../src/protocol";
import { MIXED_STATE, type BarDatum } from "./bars";
import { formatDuration, formatTime } from "./format";
import { upperBound } from "./lod";

export const STATE_LABELS = ["running (holds the GIL)", "waiting for the GIL", "blocked", "mixed"];

export function describeBar(view: TimelineView, b: BarDatum): string[] {
  const span = `at ${formatTime(b.x[0], b.x[1] - b.x[0])} for ${formatDuration(b.x[1] - b.x[0])}`;
  if (b.gil) {
    return b.lane < 0 ? [`${b.count} slices, several holders (zoom in)`, span] : [`held by ${view.lanes[b.lane].name}${b.count > 1 ? ` (${b.count} slices)` : ""}`, span];
  }
  if (b.count > 1) return [`${b.count} intervals merged at this zoom: ${b.key === MIXED_STATE ? "mixed states" : `mostly ${STATE_NAMES[b.key]}`}`, span];
  const iv = view.lanes[b.lane].intervals;
  const lines = [`${STATE_LABELS[b.key] ?? "?"}${b.key === 2 ? ` on ${view.blockKinds[iv.blockKind[b.first]] ?? "other"}` : ""}`, span];
  const site = view.sites[iv.site[b.first]];
  if (site) lines.push(`${site.function} at ${site.file}:${site.line}${site.instruction ? ` (${site.instruction})` : ""}`);
  return lines;
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
