// The legend: each state's fill and each handoff reason's line, named in words.
import { HANDOFF_REASONS } from "../src/protocol";
import { el } from "./dom";
import { HANDOFF_DASH, STATE_PATTERN_NAMES, swatch, swatchCanvas, type Theme } from "./theme";

const HANDOFF_NAMES = ["blocking call (solid)", "preempted (dashed)", "thread exit (dotted)", "thread start (dotted)", "lock wait (dash-dot)"];

function lineSwatch(colour: string, dash: readonly number[]): HTMLCanvasElement {
  return swatchCanvas((g, w, h) => {
    g.strokeStyle = colour;
    g.lineWidth = 2;
    g.setLineDash([...dash]);
    g.beginPath();
    g.moveTo(0, h / 2);
    g.lineTo(w, h / 2);
    g.stroke();
  });
}

export function renderLegend(host: HTMLElement, theme: Theme): void {
  const states = ["running (holds the GIL)", "waiting for the GIL", "blocked", "several states (zoom in)"];
  host.replaceChildren(
    ...states.map((s, i) => el("span", { class: "key" }, swatch(theme.fills[i]), `${s}, ${STATE_PATTERN_NAMES[i]}`)),
    ...HANDOFF_REASONS.map((_, i) => el("span", { class: "key" }, lineSwatch(theme.handoff[i], HANDOFF_DASH[i]), `handoff: ${HANDOFF_NAMES[i]}`)),
    el("span", { class: "key" }, "\u25bc race write \u25c6 race read"),
    el("span", { class: "key" }, "GIL row: one colour per holder thread, named where wide enough"),
  );
}
