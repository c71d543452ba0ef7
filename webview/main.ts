// The webview's entry: lays out the page, routes host messages to the chart and the side pane,
// and turns clicks into reveal requests for the host.
import { isHostToWebview, type HostToWebview, type RunStatus, type SiteView, type TimelineView } from "../src/protocol";
import { renderCompare } from "./compare";
import { el } from "./dom";
import { renderExplainer } from "./explainer";
import { renderLegend } from "./legend";
import { Minimap } from "./minimap";
import { markSelected, renderSummary } from "./summary";
import { readTheme } from "./theme";
import { TimelineChart } from "./timelineChart";
import { persist, post } from "./vscodeApi";
import { bindZoomKeys, zoomButtons } from "./zoomControls";

const STATUS_TEXT: Record<RunStatus["state"], string> = {
  running: "Running: the timeline fills in as the trace streams",
  done: "Finished",
  cancelled: "Cancelled: showing the partial trace",
  failed: "Failed",
};

const app = document.getElementById("app") ?? document.body;
const status = el("p", { class: "status", role: "status" }, "Waiting for the trace\u2026");
const buttons = zoomButtons("Zoom", "Show the whole run (0)", (action) => {
  if (action === "in") chart.zoomBy(1.5);
  else if (action === "out") chart.zoomBy(1 / 1.5);
  else chart.reset();
});
const legend = el("div", { class: "legend", "aria-label": "Legend" });
const canvas = el("canvas", { role: "img", "aria-label": "Timeline" });
const chartWrap = el("div", { class: "chart", tabindex: 0, role: "group", "aria-label": "Timeline chart: + and - zoom, arrows pan, 0 resets" }, canvas);
const minimapCanvas = el("canvas", { class: "minimap", tabindex: 0, role: "slider", "aria-label": "Overview of the whole run: click or arrows to move the view" });
const side = el("aside", { class: "summary", "aria-label": "Summary" });
app.append(
  el("header", {}, el("h1", {}, document.title), status, buttons),
  legend,
  el("main", {}, el("div", { class: "chart-column" }, chartWrap, minimapCanvas), side),
);

let theme = readTheme();
let view: TimelineView | null = null;
let selectedRace = -1;
let raceList: HTMLElement | null = null;
let explainer: HTMLElement | null = null;
let renders = 0;

function reveal(site: SiteView): void {
  post({ type: "reveal", file: site.file, line: site.line });
}

const chart = new TimelineChart(canvas, chartWrap, {
  reveal,
  selectRace: (i) => selectRace(i, false),
  rangeChanged: (min, max, full) => minimap.setWindow(min, max, full, theme),
});
const minimap = new Minimap(minimapCanvas, (min, max) => chart.setRange(min, max));

function selectRace(index: number, revealIt: boolean): void {
  if (!view) return;
  selectedRace = index;
  chart.selectRace(index);
  if (raceList) markSelected(raceList, "data-race", index);
  if (explainer) renderExplainer(explainer, view, index, reveal);
  post({ type: "selectRace", index });
  const race = view.races[index];
  const at = race?.accesses.find((a) => a.op === "write") ?? race?.accesses[0];
  if (revealIt && at) reveal({ file: at.file, line: at.line, function: race.variable });
}

function showView(next: TimelineView): void {
  const started = performance.now();
  view = next;
  chart.setView(next);
  minimap.setView(next, theme);
  const parts = renderSummary(side, next, {
    lane: (i, revealIt) => {
      chart.focusLane(i);
      const target = next.lanes[i].targetSite;
      if (revealIt && target) reveal(target);
    },
    race: (i) => selectRace(i, true),
    deadlock: (i) => {
      chart.showDeadlock(i);
      markSelected(side, "data-deadlock", i);
      const at = next.deadlocks[i]?.site;
      if (at) reveal(at);
    },
  });
  raceList = parts.races;
  explainer = parts.explainer;
  // The selected race survives live updates (without revealing it again).
  if (selectedRace >= 0 && selectedRace < next.races.length) {
    markSelected(raceList, "data-race", selectedRace);
    renderExplainer(explainer, next, selectedRace, reveal);
  }
  renders++;
  document.body.dataset.renders = String(renders);
  document.body.dataset.renderMs = (performance.now() - started).toFixed(1);
}

function handle(message: HostToWebview): void {
  switch (message.type) {
    case "model":
      showView(message.view);
      break;
    case "compare":
      renderCompare(app, message.compare, { reveal });
      break;
    case "status":
      status.textContent = `${STATUS_TEXT[message.status.state] ?? message.status.state}${message.status.message ? `: ${message.status.message}` : ""}`;
      status.dataset.state = message.status.state;
      break;
    case "highlight":
      document.body.dataset.highlighted = String(chart.highlight(message.file, message.line));
      break;
    case "clearHighlight":
      chart.highlight("", -1);
      break;
    case "persist":
      persist(message.state);
      break;
  }
}

window.addEventListener("message", (e: MessageEvent<unknown>) => {
  if (isHostToWebview(e.data)) handle(e.data);
});

bindZoomKeys(chartWrap, chart);

// VS Code swaps body classes (vscode-light / -dark / -high-contrast) when the theme's kind changes,
// and rewrites the colour variables on <html>'s style for any theme change (dark to another dark).
const themeObserver = new MutationObserver(() => {
  theme = readTheme();
  renderLegend(legend, theme);
  chart.applyTheme();
  if (view) minimap.setView(view, theme);
});
themeObserver.observe(document.body, { attributes: true, attributeFilter: ["class"] });
themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ["style"] });

renderLegend(legend, theme);
post({ type: "ready" });
