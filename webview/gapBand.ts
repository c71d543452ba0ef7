// A run over its event limit (--max-events): where the tracer dropped events, a hatched band across
// the process's rows with its caption ("26515 events dropped (limit 2000)"), and the side pane's
// line saying when and what kinds. The bars stop at the band's edges: no interval spans a gap.
import type { Chart } from "chart.js";
import type { TimelineView } from "../src/protocol";
import type { BarDatum } from "./bars";
import { el } from "./dom";
import type { OverlayState } from "./overlay";
import { pattern } from "./theme";

/** A gap of a few microseconds in a long run still shows as a band this wide. */
const MIN_WIDTH_PX = 6;

export function drawGaps(chart: Chart<"bar", BarDatum[]>, s: OverlayState): void {
  const x = chart.scales.x;
  const y = chart.scales.y;
  const half = y.height / Math.max(s.rows.length, 1) / 2;
  const g = chart.ctx;
  let drawn = 0;
  g.save();
  g.font = `bold 10px ${s.theme.font}`;
  g.textBaseline = "bottom";
  for (const gap of s.view.gaps) {
    const rows = s.rows.flatMap((r, i) => (r.pid === gap.pid ? [i] : []));
    if (rows.length === 0 || gap.toMs < x.min || gap.fromMs > x.max) continue;
    let x0 = x.getPixelForValue(gap.fromMs);
    let x1 = x.getPixelForValue(gap.toMs);
    if (x1 - x0 < MIN_WIDTH_PX) {
      const mid = (x0 + x1) / 2;
      x0 = mid - MIN_WIDTH_PX / 2;
      x1 = mid + MIN_WIDTH_PX / 2;
    }
    const top = y.getPixelForValue(Math.min(...rows)) - half;
    const bottom = y.getPixelForValue(Math.max(...rows)) + half;
    g.clearRect(x0, top, x1 - x0, bottom - top);
    g.fillStyle = pattern(s.theme.foreground, "hatch");
    g.fillRect(x0, top, x1 - x0, bottom - top);
    g.strokeStyle = s.theme.foreground;
    g.setLineDash([2, 2]);
    g.strokeRect(x0, top, x1 - x0, bottom - top);
    g.setLineDash([]);
    g.fillStyle = s.theme.foreground;
    g.fillText(gap.label, Math.max(x0, chart.chartArea.left) + 3, top - 1);
    drawn++;
  }
  g.restore();
  // What the browser tests read: bands actually drawn in the current view.
  chart.canvas.dataset.gapBands = String(drawn);
}

/** The side pane's lines: one per gap. */
export function gapSection(view: TimelineView): HTMLElement {
  return el(
    "section",
    { "aria-label": "Dropped events", class: "gaps" },
    el("h2", {}, "Dropped events"),
    ...view.gaps.map((g, i) => el("p", { "data-gap": i }, g.text)),
  );
}
