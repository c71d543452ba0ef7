// What chart.js bars cannot express, drawn on the chart's canvas after the bars: handoff marks
// between lanes (styled by reason), race markers, deadlock marks, the switch-interval scale, GIL
// holder names, the focused row. Also the hit tests for clicking those marks.
import type { Chart } from "chart.js";
import { HANDOFF_REASONS, type TimelineView } from "../src/protocol";
import { HIGHLIGHT_SET, HOLDER_BASE, type BarDatum } from "./bars";
import { formatDuration } from "./format";
import { drawGaps } from "./gapBand";
import { thinPoints } from "./lod";
import type { Row } from "./rows";
import { HANDOFF_DASH, type Theme } from "./theme";

const HANDOFF_WIDTH = [1.5, 1.2, 1.2, 1.2, 2.2];
const MARKER_RADIUS = 6;
/** Path group of handoffs that belong to the highlighted editor line. */
const HIGHLIGHTED = -1;

export interface OverlayState {
  view: TimelineView;
  rows: Row[];
  rowOfLane: number[];
  /** GIL row of each pid (where handoffs from a free GIL start). */
  gilRowOfPid: Map<number, number>;
  theme: Theme;
  selectedRace: number;
  highlightSites: Set<number>;
  focusedRow: number;
  /** Filled while drawing, read by the hit tests. */
  drawnHandoffs: { index: number; x: number; y1: number; y2: number }[];
  drawnMarkers: { race: number; access: number; x: number; y: number }[];
}

export type OverlayHit = { kind: "race"; race: number; access: number } | { kind: "handoff"; index: number };

function rowY(chart: Chart<"bar", BarDatum[]>, row: number): number {
  return chart.scales.y.getPixelForValue(row);
}

function drawHandoffs(chart: Chart<"bar", BarDatum[]>, s: OverlayState, msPerPixel: number): void {
  const g = chart.ctx;
  const x = chart.scales.x;
  const h = s.view.handoffs;
  s.drawnHandoffs = [];
  // One path per reason (plus one for the highlighted line): a path per mark cost more than the bars.
  const paths = new Map<number, Path2D>();
  const pathFor = (group: number) => {
    let p = paths.get(group);
    if (!p) paths.set(group, (p = new Path2D()));
    return p;
  };
  // Keep marks at least 3 px apart so a busy trace stays a readable texture, not a solid wall.
  for (const i of thinPoints(h.time, x.min, x.max, msPerPixel * 3)) {
    const to = s.rowOfLane[h.to[i]];
    if (to < 0) continue;
    const fromRow = h.from[i] >= 0 ? s.rowOfLane[h.from[i]] : (s.gilRowOfPid.get(s.view.lanes[h.to[i]].pid) ?? to);
    const px = x.getPixelForValue(h.time[i]);
    const y1 = rowY(chart, fromRow < 0 ? to : fromRow);
    const y2 = rowY(chart, to);
    const p = pathFor(s.highlightSites.has(h.site[i]) ? HIGHLIGHTED : h.reason[i]);
    p.moveTo(px, y1);
    p.lineTo(px, y2);
    // Arrow head at the receiving lane: the GIL went this way.
    const dir = y2 >= y1 ? -1 : 1;
    p.moveTo(px - 3, y2 + dir * 5);
    p.lineTo(px, y2);
    p.lineTo(px + 3, y2 + dir * 5);
    s.drawnHandoffs.push({ index: i, x: px, y1: Math.min(y1, y2), y2: Math.max(y1, y2) });
  }
  g.save();
  // What was stroked, per group: marks and the dash the canvas really used (for tests and tools).
  const styles: string[] = [];
  for (const [group, path] of paths) {
    const reason = group === HIGHLIGHTED ? 0 : group;
    g.strokeStyle = group === HIGHLIGHTED ? s.theme.highlight : (s.theme.handoff[reason] ?? s.theme.foreground);
    g.lineWidth = (HANDOFF_WIDTH[reason] ?? 1) * (group === HIGHLIGHTED ? 2 : 1);
    g.setLineDash(group === HIGHLIGHTED ? [] : (HANDOFF_DASH[reason] ?? []));
    g.stroke(path);
    styles.push(`${group === HIGHLIGHTED ? "highlighted" : HANDOFF_REASONS[group]}:${g.getLineDash().join(",") || "solid"}`);
  }
  g.restore();
  const counts = new Map<string, number>();
  for (const d of s.drawnHandoffs) {
    const key = s.highlightSites.has(h.site[d.index]) ? "highlighted" : HANDOFF_REASONS[h.reason[d.index]];
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  chart.canvas.dataset.handoffsDrawn = [...counts].map(([k, n]) => `${k}:${n}`).sort().join(" ");
  chart.canvas.dataset.handoffDash = styles.sort().join(" ");
}

function drawRaceMarkers(chart: Chart<"bar", BarDatum[]>, s: OverlayState): void {
  const g = chart.ctx;
  const x = chart.scales.x;
  s.drawnMarkers = [];
  s.view.races.forEach((race, ri) => {
    race.accesses.forEach((a, ai) => {
      const row = a.lane >= 0 ? s.rowOfLane[a.lane] : -1;
      if (row < 0 || a.timeMs < x.min || a.timeMs > x.max) return;
      const px = x.getPixelForValue(a.timeMs);
      const py = rowY(chart, row) - 9;
      const r = ri === s.selectedRace ? MARKER_RADIUS + 2 : MARKER_RADIUS;
      g.save();
      g.fillStyle = s.theme.race;
      g.strokeStyle = s.theme.foreground;
      g.lineWidth = ri === s.selectedRace ? 2 : 1;
      g.beginPath();
      // A downward triangle for writes, a diamond for reads: shape, not only colour.
      if (a.op === "write") {
        g.moveTo(px - r, py - r);
        g.lineTo(px + r, py - r);
        g.lineTo(px, py + r * 0.6);
      } else {
        g.moveTo(px, py - r);
        g.lineTo(px + r * 0.8, py);
        g.lineTo(px, py + r);
        g.lineTo(px - r * 0.8, py);
      }
      g.closePath();
      g.fill();
      g.stroke();
      g.restore();
      s.drawnMarkers.push({ race: ri, access: ai, x: px, y: py });
    });
  });
  // The markers actually drawn (those in view), not the accesses the view holds.
  chart.canvas.dataset.raceMarkers = String(s.drawnMarkers.length);
}

/**
 * A deadlock: a dashed frame around each of its lanes from when the cycle closed to when it ended
 * (drawn over the blocked bars, which stay visible), captioned on its first lane. The frame and
 * caption, not only a colour, say what it is.
 */
function drawDeadlocks(chart: Chart<"bar", BarDatum[]>, s: OverlayState): void {
  const g = chart.ctx;
  const x = chart.scales.x;
  const half = (chart.scales.y.height / Math.max(s.rows.length, 1)) / 2 - 2;
  g.save();
  g.strokeStyle = s.theme.race;
  g.fillStyle = s.theme.foreground;
  g.lineWidth = 2;
  g.font = `bold 10px ${s.theme.font}`;
  g.textBaseline = "bottom";
  for (const d of s.view.deadlocks) {
    if (d.untilMs < x.min || d.sinceMs > x.max) continue;
    const x0 = Math.max(x.getPixelForValue(d.sinceMs), chart.chartArea.left);
    const x1 = Math.max(Math.min(x.getPixelForValue(d.untilMs), chart.chartArea.right), x0 + 2);
    const rows = d.lanes.map((l) => (l >= 0 ? s.rowOfLane[l] : -1)).filter((r) => r >= 0);
    g.setLineDash([6, 3]);
    for (const row of rows) g.strokeRect(x0, rowY(chart, row) - half, x1 - x0, half * 2);
    g.setLineDash([]);
    if (rows.length) {
      // On a patch of background: the caption sits over the lane above, which may be a bar.
      const y = rowY(chart, Math.min(...rows)) - half - 1;
      g.fillStyle = s.theme.background;
      g.fillRect(x0 + 1, y - 12, g.measureText(d.label).width + 4, 12);
      g.fillStyle = s.theme.foreground;
      g.fillText(d.label, x0 + 3, y);
    }
  }
  g.restore();
}

function drawSwitchScale(chart: Chart<"bar", BarDatum[]>, s: OverlayState, msPerPixel: number): void {
  const p = s.view.processes.find((q) => q.gilEnabled);
  const data = chart.canvas.dataset;
  if (!p || p.switchIntervalMs <= 0) {
    delete data.switchScale;
    delete data.switchScaleLabel;
    return;
  }
  const g = chart.ctx;
  const area = chart.chartArea;
  const len = p.switchIntervalMs / msPerPixel;
  const label = `switch interval ${formatDuration(p.switchIntervalMs)}`;
  g.save();
  g.font = `11px ${s.theme.font}`;
  g.fillStyle = s.theme.foreground;
  g.strokeStyle = s.theme.foreground;
  g.textAlign = "right";
  g.textBaseline = "bottom";
  const right = area.right - 4;
  const y = area.top - 6;
  if (len >= 4 && len <= area.width * 0.6) {
    g.beginPath();
    g.moveTo(right - len, y - 4);
    g.lineTo(right - len, y);
    g.lineTo(right, y);
    g.lineTo(right, y - 4);
    g.stroke();
    g.fillText(label, right - len - 6, y + 2);
    // The bracket's width in CSS pixels, what a reader compares slices against.
    data.switchScale = len.toFixed(2);
    data.switchScaleLabel = label;
  } else {
    const text = `${label} (${len < 4 ? "zoom in" : "zoom out"} to compare)`;
    g.fillText(text, right, y + 2);
    data.switchScale = "none";
    data.switchScaleLabel = text;
  }
  g.restore();
}

function drawHolderNames(chart: Chart<"bar", BarDatum[]>, s: OverlayState): void {
  const g = chart.ctx;
  const x = chart.scales.x;
  const gil = chart.data.datasets.slice(HOLDER_BASE, HIGHLIGHT_SET).flatMap((d) => d.data);
  g.save();
  g.font = `10px ${s.theme.font}`;
  g.fillStyle = s.theme.foreground;
  g.textBaseline = "middle";
  for (const b of gil) {
    if (b.lane < 0) continue;
    const x0 = Math.max(x.getPixelForValue(b.x[0]), chart.chartArea.left);
    const x1 = Math.min(x.getPixelForValue(b.x[1]), chart.chartArea.right);
    if (x1 - x0 < 48) continue;
    const name = s.view.lanes[b.lane].name;
    g.save();
    g.beginPath();
    g.rect(x0, rowY(chart, b.y) - 8, x1 - x0, 16);
    g.clip();
    g.fillText(name, x0 + 3, rowY(chart, b.y));
    g.restore();
  }
  g.restore();
}

export function drawFocusedRow(chart: Chart<"bar", BarDatum[]>, s: OverlayState): void {
  if (s.focusedRow < 0) return;
  const g = chart.ctx;
  const y = rowY(chart, s.focusedRow);
  const half = (chart.scales.y.height / Math.max(s.rows.length, 1)) / 2;
  g.save();
  g.strokeStyle = s.theme.highlight;
  g.lineWidth = 2;
  g.setLineDash([3, 3]);
  g.strokeRect(chart.chartArea.left, y - half, chart.chartArea.width, half * 2);
  g.restore();
}

export function drawOverlay(chart: Chart<"bar", BarDatum[]>, s: OverlayState): void {
  const area = chart.chartArea;
  const msPerPixel = (chart.scales.x.max - chart.scales.x.min) / Math.max(area.width, 1);
  const g = chart.ctx;
  g.save();
  g.beginPath();
  g.rect(area.left, area.top - 30, area.width, area.height + 30);
  g.clip();
  drawHolderNames(chart, s);
  drawGaps(chart, s);
  drawHandoffs(chart, s, msPerPixel);
  drawRaceMarkers(chart, s);
  drawDeadlocks(chart, s);
  g.restore();
  drawSwitchScale(chart, s, msPerPixel);
}

export function hitOverlay(s: OverlayState, x: number, y: number): OverlayHit | null {
  for (const m of s.drawnMarkers) {
    if (Math.abs(m.x - x) <= MARKER_RADIUS + 2 && Math.abs(m.y - y) <= MARKER_RADIUS + 2) return { kind: "race", race: m.race, access: m.access };
  }
  let best: OverlayHit | null = null;
  let bestDx = 5;
  for (const h of s.drawnHandoffs) {
    const dx = Math.abs(h.x - x);
    if (dx < bestDx && y >= h.y1 - 4 && y <= h.y2 + 4) {
      bestDx = dx;
      best = { kind: "handoff", index: h.index };
    }
  }
  return best;
}

export function handoffLabel(view: TimelineView, i: number): string {
  const h = view.handoffs;
  const from = h.from[i] >= 0 ? view.lanes[h.from[i]].name : "free GIL";
  return `handoff (${HANDOFF_REASONS[h.reason[i]]}) ${from} \u2192 ${view.lanes[h.to[i]].name}`;
}
