// The compare page (issue 5): the table of differences on top, then one timeline per run on a
// shared time axis (ms since each run's start, up to the longest run), zoomed and panned together.
// Replaces the single-timeline page when the host sends a "compare" message.
import type { CompareView, SiteView, TimelineView } from "../src/protocol";
import type { DiffRow } from "../src/trace/compare";
import { el } from "./dom";
import { formatDuration } from "./format";
import { renderLegend } from "./legend";
import { readTheme } from "./theme";
import { TimelineChart } from "./timelineChart";
import { bindZoomKeys, zoomButtons } from "./zoomControls";

export interface CompareHandlers {
  reveal(site: SiteView): void;
}

function differenceTable(compare: CompareView): HTMLTableElement {
  const head = el("tr", {}, el("th", { scope: "col" }, ""), ...compare.runs.map((r, i) => el("th", { scope: "col", "data-run": i }, r.label)));
  const body = compare.rows.map((row: DiffRow) =>
    el(
      "tr",
      { "data-key": row.key, class: row.differs ? "differs" : undefined },
      el("th", { scope: "row" }, row.differs ? el("span", { class: "differs-mark", title: "the runs differ here" }, "\u2260 ") : null, row.label.trim(), row.differs ? el("span", { class: "sr-only" }, " (differs)") : null),
      ...row.values.map((v) => el("td", { class: row.key === "output" ? "output" : undefined }, v)),
    ),
  );
  return el(
    "table",
    { class: "compare-table" },
    el("caption", {}, "Differences between the runs (\u2260: the runs differ here; timings only when they differ by more than a quarter)"),
    el("thead", {}, head),
    el("tbody", {}, ...body),
  );
}

function runFacts(view: TimelineView, status: CompareView["runs"][number]["status"]): string {
  const p = view.processes[0];
  const parts = [p ? `${p.interpreter}, ${p.gilMode}` : "no trace", `wall ${formatDuration(p?.wallMs ?? view.durationMs)}`];
  parts.push(`${view.handoffs.time.length} handoffs`, `${view.races.length} race point(s)`);
  if (status.state !== "done") parts.push(`${status.state}${status.message ? `: ${status.message}` : ""}`);
  return parts.join(" \u00b7 ");
}

/** Draws the compare page into `app`, replacing what was there. */
export function renderCompare(app: HTMLElement, compare: CompareView, handlers: CompareHandlers): void {
  const theme = readTheme();
  const longest = Math.max(1e-3, ...compare.runs.map((r) => r.view.durationMs));
  const charts: TimelineChart[] = [];
  // One chart zoomed moves the others (see follow); a reset goes to each.
  const buttons = zoomButtons("Zoom all timelines", "Show the whole runs (0)", (action) => {
    if (action === "in") charts[0]?.zoomBy(1.5);
    else if (action === "out") charts[0]?.zoomBy(1 / 1.5);
    else charts.forEach((c) => c.reset());
  });
  const legend = el("div", { class: "legend", "aria-label": "Legend" });
  renderLegend(legend, theme);
  const sections = compare.runs.map((run, i) => {
    const canvas = el("canvas", { role: "img", "aria-label": `Timeline of ${run.label}` });
    const wrap = el("div", { class: "chart", tabindex: 0, role: "group", "aria-label": `Timeline of ${run.label}: + and - zoom all timelines, arrows pan, 0 resets` }, canvas);
    const section = el("section", { class: "compare-run", "data-run": i, "aria-label": `Run ${i + 1}: ${run.label}` }, el("h2", {}, run.label), el("p", { class: "run-facts" }, runFacts(run.view, run.status)), wrap);
    return { section, canvas, wrap };
  });
  app.replaceChildren(
    el("header", {}, el("h1", {}, compare.title), el("p", { class: "status", role: "status" }, `${compare.runs.length} runs of one script`), buttons),
    differenceTable(compare),
    legend,
    ...sections.map((s) => s.section),
  );
  document.body.dataset.page = "compare";

  // Zoom and pan move every timeline: the last range seen per chart stops the echo.
  const ranges = compare.runs.map(() => [0, longest]);
  const follow = (from: number, min: number, max: number) => {
    ranges[from] = [min, max];
    charts.forEach((c, j) => {
      if (j === from || (ranges[j][0] === min && ranges[j][1] === max)) return;
      ranges[j] = [min, max];
      c.setRange(min, max);
    });
  };
  sections.forEach((s, i) => {
    const chart = new TimelineChart(s.canvas, s.wrap, {
      reveal: handlers.reveal,
      selectRace: (r) => chart.selectRace(r),
      rangeChanged: (min, max) => follow(i, min, max),
    });
    charts.push(chart);
    // The shared axis: every run is drawn against the longest one's duration.
    chart.setView({ ...compare.runs[i].view, durationMs: longest });
    s.canvas.setAttribute("aria-label", `Timeline of ${compare.runs[i].label}: ${runFacts(compare.runs[i].view, compare.runs[i].status)}`);
    bindZoomKeys(s.wrap, chart);
  });
  new MutationObserver(() => {
    renderLegend(legend, readTheme());
    charts.forEach((c) => c.applyTheme());
  }).observe(document.body, { attributes: true, attributeFilter: ["class"] });
}
