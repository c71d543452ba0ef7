// The timeline itself: chart.js floating bars (one row per lane, a GIL row per process), zoom and
// pan from chartjs-plugin-zoom, bars regenerated through the LOD on every update so only about a
// bar per pixel per row is ever drawn.
import { BarController, BarElement, Chart, LinearScale, Tooltip, type ChartEvent, type Plugin, type TooltipItem } from "chart.js";
import zoomPlugin from "chartjs-plugin-zoom";
import type { SiteView, TimelineView } from "../src/protocol";
import { buildBars, HIGHLIGHT_SET, HOLDER_BASE, highlightBars, MIXED_STATE, sitesAt, type BarDatum } from "./bars";
import { describeBar, siteOfBar, STATE_LABELS } from "./barInfo";
import { formatDuration, formatTime } from "./format";
import { drawFocusedRow, drawOverlay, handoffLabel, hitOverlay, type OverlayState } from "./overlay";
import { buildRows, rowOfLane } from "./rows";
import { readTheme, type Theme } from "./theme";

Chart.register(BarController, BarElement, LinearScale, Tooltip, zoomPlugin);

const ROW_HEIGHT = 28;
const BAR_THICKNESS = 18;
const AXES_HEIGHT = 64;

/** Row labels beyond this many characters are cut: the lane list and tooltips carry the full name. */
const LABEL_CHARS = 32;

function shorten(label: string): string {
  return label.length > LABEL_CHARS ? `${label.slice(0, LABEL_CHARS - 1)}\u2026` : label;
}

export interface ChartCallbacks {
  reveal(site: SiteView): void;
  selectRace(index: number): void;
  /** The visible time range changed (zoom, pan, reset, new data). */
  rangeChanged(min: number, max: number, full: number): void;
}

type TimelineBarChart = Chart<"bar", BarDatum[]>;

export class TimelineChart {
  private readonly chart: TimelineBarChart;
  private theme: Theme = readTheme();
  private view: TimelineView | null = null;
  private overlay: OverlayState | null = null;
  private zoomed = false;
  private lodKey = "";
  /** Canvas x of the pointer (CSS pixels), or null when it is not over the chart. */
  private pointerX: number | null = null;
  private version = 0;
  private lastDrawMs = 0;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly wrap: HTMLElement,
    private readonly callbacks: ChartCallbacks,
  ) {
    const lod: Plugin<"bar"> = { id: "gtLod", beforeUpdate: () => this.regenerate() };
    const marks: Plugin<"bar"> = {
      id: "gtMarks",
      // this.chart is unset during the constructor's first render, but so is this.overlay.
      beforeDatasetsDraw: () => {
        if (this.overlay) drawFocusedRow(this.chart, this.overlay);
      },
      afterDatasetsDraw: () => {
        if (this.overlay) drawOverlay(this.chart, this.overlay);
      },
      afterRender: (c) => {
        if (!this.view) return;
        // Where the plot is, for tests and tools that click into the canvas.
        const a = c.chartArea;
        c.canvas.dataset.area = [a.left, a.top, a.right, a.bottom].join(",");
        c.canvas.dataset.range = `${c.scales.x.min},${c.scales.x.max}`;
        // The tooltip chart.js painted on the canvas, as text (tests; a canvas has no DOM text).
        const tip = c.tooltip;
        if (tip && tip.opacity > 0 && tip.body?.length) c.canvas.dataset.tooltip = [...tip.title, ...tip.body.flatMap((b) => b.lines)].join("\n");
        else delete c.canvas.dataset.tooltip;
        this.callbacks.rangeChanged(c.scales.x.min, c.scales.x.max, this.view.durationMs);
      },
    };
    this.chart = new Chart<"bar", BarDatum[]>(canvas, {
      type: "bar",
      data: { labels: [], datasets: this.datasets() },
      options: this.options(),
      plugins: [lod, marks],
    });
    canvas.addEventListener("click", (e) => this.onClick(e));
    // The tooltip of a merged bar names the interval under the pointer: chart.js gives it the bar only.
    canvas.addEventListener("mousemove", (e) => void (this.pointerX = e.clientX - canvas.getBoundingClientRect().left));
    canvas.addEventListener("mouseleave", () => void (this.pointerX = null));
  }

  /** A new or grown model: keeps the user's zoom, otherwise shows the whole run. */
  setView(view: TimelineView): void {
    const rows = buildRows(view);
    const gilRowOfPid = new Map<number, number>();
    rows.forEach((r, i) => r.kind === "gil" && gilRowOfPid.set(r.pid, i));
    const previous = this.overlay;
    this.view = view;
    this.overlay = {
      view,
      rows,
      rowOfLane: rowOfLane(rows, view.lanes.length),
      gilRowOfPid,
      theme: this.theme,
      selectedRace: previous && previous.selectedRace < view.races.length ? previous.selectedRace : -1,
      highlightSites: new Set(),
      focusedRow: previous && previous.focusedRow < rows.length ? previous.focusedRow : -1,
      drawnHandoffs: [],
      drawnMarkers: [],
    };
    this.version++;
    this.wrap.style.height = `${rows.length * ROW_HEIGHT + AXES_HEIGHT}px`;
    const y = (this.chart.options.scales as Record<string, { max?: number }>).y;
    y.max = rows.length - 0.5;
    const x = this.xOptions();
    const full = Math.max(view.durationMs, 1e-3);
    const limits = this.zoomLimits();
    limits.max = full;
    if (!this.zoomed) {
      x.min = 0;
      x.max = full;
    }
    this.canvas.setAttribute(
      "aria-label",
      `Timeline of ${view.lanes.length} threads in ${view.processes.length} process(es) over ${formatDuration(view.durationMs)}; ` +
        `${view.handoffs.time.length} handoffs, ${view.races.length} race point(s). Use + and - to zoom, arrows to pan, 0 to reset.` +
        (rows.some((r) => r.kind === "noGil") ? " Free-threaded: no GIL, threads run in parallel." : ""),
    );
    this.canvas.dataset.lanes = String(view.lanes.length);
    this.canvas.dataset.rowKinds = rows.map((r) => r.kind).join(" ");
    this.canvas.dataset.deadlockLanes = String(view.deadlocks.reduce((n, d) => n + d.lanes.filter((l) => l >= 0).length, 0));
    this.chart.resize();
    this.chart.update("none");
  }

  highlight(file: string, line: number): number {
    if (!this.view || !this.overlay) return 0;
    this.overlay.highlightSites = sitesAt(this.view, file, line);
    this.version++;
    this.chart.update("none");
    return this.chart.data.datasets[HIGHLIGHT_SET].data.length;
  }

  selectRace(index: number): void {
    if (!this.overlay) return;
    this.overlay.selectedRace = index;
    const first = this.view?.races[index]?.accesses[0];
    // Bring the race into view if it is off screen.
    if (first && (first.timeMs < this.chart.scales.x.min || first.timeMs > this.chart.scales.x.max)) {
      const span = this.chart.scales.x.max - this.chart.scales.x.min;
      this.setRange(first.timeMs - span / 2, first.timeMs + span / 2);
    } else this.chart.draw();
  }

  /** Bring a deadlock into view: from a little before its cycle closed to its end. */
  showDeadlock(index: number): void {
    const d = this.view?.deadlocks[index];
    if (!d) return;
    const pad = Math.max((d.untilMs - d.sinceMs) * 0.1, 1);
    this.setRange(d.sinceMs - pad, d.untilMs + pad);
  }

  focusLane(lane: number): void {
    if (!this.overlay) return;
    this.overlay.focusedRow = lane >= 0 ? this.overlay.rowOfLane[lane] : -1;
    this.chart.draw();
  }

  zoomBy(factor: number): void {
    this.zoomed = true;
    this.chart.zoom({ x: factor }, "none");
  }

  panBy(fraction: number): void {
    this.zoomed = true;
    this.chart.pan({ x: -fraction * this.chart.chartArea.width }, undefined, "none");
  }

  setRange(min: number, max: number): void {
    const full = this.view?.durationMs ?? max;
    const span = Math.min(max - min, full);
    const lo = Math.max(0, Math.min(min, full - span));
    this.zoomed = span < full;
    const x = this.xOptions();
    x.min = lo;
    x.max = lo + span;
    this.chart.update("none");
  }

  reset(): void {
    this.zoomed = false;
    this.chart.resetZoom("none");
    const x = this.xOptions();
    x.min = 0;
    x.max = Math.max(this.view?.durationMs ?? 1, 1e-3);
    this.chart.update("none");
  }

  /** Milliseconds the last update (LOD + draw) took, for the bench. */
  get lastUpdateMs(): number {
    return this.lastDrawMs;
  }

  applyTheme(): void {
    this.theme = readTheme();
    if (this.overlay) this.overlay.theme = this.theme;
    this.chart.data.datasets = this.datasets(this.chart.data.datasets.map((d) => d.data));
    this.chart.options = this.options();
    this.lodKey = "";
    if (this.view) this.setView(this.view);
  }

  private xOptions(): { min?: number; max?: number } {
    const scales = this.chart.options.scales as Record<string, { min?: number; max?: number }>;
    return scales.x;
  }

  private zoomLimits(): { min: number; max: number } {
    const zoom = this.chart.options.plugins?.zoom;
    const limits = zoom?.limits?.x as { min: number; max: number } | undefined;
    if (!limits) throw new Error("zoom limits missing");
    return limits;
  }

  /** Rebuild the bars for the visible range; skipped when neither range, size nor data changed. */
  private regenerate(): void {
    const view = this.view;
    const overlay = this.overlay;
    if (!view || !overlay) return;
    const started = performance.now();
    const x = this.chart.scales.x?.options ?? this.xOptions();
    const t0 = typeof x.min === "number" ? x.min : 0;
    const t1 = typeof x.max === "number" ? x.max : view.durationMs;
    const width = Math.max(this.chart.chartArea?.width ?? this.chart.width - 160, 50);
    const key = `${this.version}:${t0}:${t1}:${width}`;
    if (key === this.lodKey) return;
    this.lodKey = key;
    const msPerPixel = (t1 - t0) / width;
    const sets = buildBars(view, overlay.rows, t0, t1, msPerPixel);
    const ds = this.chart.data.datasets;
    sets.forEach((bars, i) => (ds[i].data = bars));
    ds[HIGHLIGHT_SET].data = highlightBars(view, overlay.rows, overlay.highlightSites, t0, t1);
    this.lastDrawMs = performance.now() - started;
  }

  private datasets(data: BarDatum[][] = []): TimelineBarChart["data"]["datasets"] {
    const t = this.theme;
    const base = { grouped: false, borderWidth: 0, barThickness: BAR_THICKNESS, minBarLength: 1 };
    const byState = [0, 1, 2, MIXED_STATE].map((s) => ({ ...base, label: STATE_LABELS[s], data: data[s] ?? [], backgroundColor: t.fills[s] }));
    const holders = t.holders.map((colour, i) => ({ ...base, label: "GIL holder", data: data[HOLDER_BASE + i] ?? [], backgroundColor: colour }));
    const highlight = { ...base, label: "highlighted line", data: data[HIGHLIGHT_SET] ?? [], backgroundColor: "rgba(0,0,0,0)", borderColor: t.highlight, borderWidth: 2, barThickness: ROW_HEIGHT - 4 };
    return [...byState, ...holders, highlight];
  }

  private options(): TimelineBarChart["options"] {
    const t = this.theme;
    const rowCount = this.overlay?.rows.length ?? 1;
    const full = Math.max(this.view?.durationMs ?? 1, 1e-3);
    return {
      indexAxis: "y",
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: { xAxisKey: "x", yAxisKey: "y" },
      layout: { padding: { top: 22, right: 8 } },
      scales: {
        x: {
          type: "linear",
          min: 0,
          max: full,
          grid: { color: t.grid },
          ticks: {
            color: t.foreground,
            maxRotation: 0,
            // chart.js binds `this` to the scale; this.chart does not exist yet on the first render.
            callback: function (value, _index, ticks) {
              const step = ticks.length > 1 ? ticks[1].value - ticks[0].value : undefined;
              return formatTime(Number(value), this.max - this.min, step);
            },
          },
        },
        // A linear row axis, not a category one: category scales map numeric y to the data index,
        // and thread names need not be unique (two processes each have a MainThread).
        y: {
          type: "linear",
          reverse: true,
          min: -0.5,
          max: Math.max(rowCount, 1) - 0.5,
          grid: { display: false },
          // One tick per row, at the row's centre (a linear scale would start them at min = -0.5).
          afterBuildTicks: (scale) => {
            scale.ticks = (this.overlay?.rows ?? []).map((_, i) => ({ value: i }));
          },
          ticks: {
            color: t.foreground,
            stepSize: 1,
            autoSkip: false,
            callback: (value) => shorten(Number.isInteger(value) ? (this.overlay?.rows[Number(value)]?.label ?? "") : ""),
          },
        },
      },
      plugins: {
        tooltip: { callbacks: { title: (items) => this.tooltipTitle(items), label: (item) => this.tooltipLabel(item) } },
        zoom: {
          limits: { x: { min: 0, max: full, minRange: 1e-3 } },
          pan: { enabled: true, mode: "x", onPan: () => void (this.zoomed = true) },
          zoom: {
            wheel: { enabled: true },
            pinch: { enabled: true },
            drag: { enabled: true, modifierKey: "shift" },
            mode: "x",
            onZoom: () => void (this.zoomed = true),
          },
        },
      },
    };
  }

  private tooltipTitle(items: TooltipItem<"bar">[]): string {
    const raw = items[0]?.raw as BarDatum | undefined;
    return raw ? (this.overlay?.rows[raw.y]?.label ?? "") : "";
  }

  private tooltipLabel(item: TooltipItem<"bar">): string[] {
    if (!this.view) return [];
    const { x } = this.chart.scales;
    const width = this.chart.chartArea?.width ?? 0;
    const pointer = this.pointerX === null || !x || width <= 0
      ? undefined
      : { ms: x.getValueForPixel(this.pointerX) ?? 0, msPerPixel: (x.max - x.min) / width };
    return describeBar(this.view, item.raw as BarDatum, pointer);
  }

  private onClick(e: MouseEvent): void {
    const view = this.view;
    const overlay = this.overlay;
    if (!view || !overlay) return;
    const rect = this.canvas.getBoundingClientRect();
    const hit = hitOverlay(overlay, e.clientX - rect.left, e.clientY - rect.top);
    if (hit?.kind === "race") {
      this.callbacks.selectRace(hit.race);
      const a = view.races[hit.race].accesses[hit.access];
      this.callbacks.reveal({ file: a.file, line: a.line, function: view.races[hit.race].variable });
      return;
    }
    if (hit?.kind === "handoff") {
      const site = view.sites[view.handoffs.site[hit.index]];
      if (site) this.callbacks.reveal(site);
      this.canvas.title = handoffLabel(view, hit.index);
      return;
    }
    const native = e as unknown as ChartEvent["native"];
    const [element] = this.chart.getElementsAtEventForMode(native as Event, "nearest", { intersect: true }, false);
    if (!element) return;
    const b = this.chart.data.datasets[element.datasetIndex]?.data[element.index];
    const site = b ? siteOfBar(view, b) : null;
    if (site) this.callbacks.reveal(site);
  }
}
