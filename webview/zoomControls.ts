// Zoom for a timeline, shared by the timeline page and the compare page: the three buttons and
// the keys a focused chart answers (+ and - zoom, arrows pan, 0 or Home resets).
import { el } from "./dom";
import type { TimelineChart } from "./timelineChart";

export type ZoomAction = "in" | "out" | "reset";

const KEYS: Record<string, (c: TimelineChart) => void> = {
  "+": (c) => c.zoomBy(1.5),
  "=": (c) => c.zoomBy(1.5),
  "-": (c) => c.zoomBy(1 / 1.5),
  ArrowRight: (c) => c.panBy(0.2),
  ArrowLeft: (c) => c.panBy(-0.2),
  "0": (c) => c.reset(),
  Home: (c) => c.reset(),
};

/** The toolbar; `act` hears which button was pressed. */
export function zoomButtons(label: string, resetTitle: string, act: (action: ZoomAction) => void): HTMLElement {
  const bar = el(
    "div",
    { class: "buttons", role: "toolbar", "aria-label": label },
    el("button", { type: "button", "data-action": "in", title: "Zoom in (+)" }, "Zoom in"),
    el("button", { type: "button", "data-action": "out", title: "Zoom out (-)" }, "Zoom out"),
    el("button", { type: "button", "data-action": "reset", title: resetTitle }, "Reset zoom"),
  );
  bar.addEventListener("click", (e) => {
    const action = (e.target as HTMLElement).closest("button")?.dataset.action;
    if (action === "in" || action === "out" || action === "reset") act(action);
  });
  return bar;
}

/** The chart's keys, while its wrapper has the focus. */
export function bindZoomKeys(wrap: HTMLElement, chart: TimelineChart): void {
  wrap.addEventListener("keydown", (e) => {
    const action = KEYS[e.key];
    if (!action) return;
    e.preventDefault();
    action(chart);
  });
}
