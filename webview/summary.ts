// The side pane: run facts per process, the verdict, deadlocks, the thread lanes (keyboard list) and
// the race list. Every string from the trace goes in as text.
import { HANDOFF_REASONS, type LaneView, type ProcessView, type TimelineView } from "../src/protocol";
import { meanSliceMs } from "../src/trace/slices";
import { el, richText, rovingFocus } from "./dom";
import { formatDuration, formatPercent } from "./format";
import { gapSection } from "./gapBand";

export interface SummaryHandlers {
  /** A lane got focus (reveal = Enter or click: open its target). */
  lane(index: number, reveal: boolean): void;
  race(index: number): void;
  /** A deadlock was chosen (Enter or click): show its span and reveal where it waits. */
  deadlock(index: number): void;
}

function processSection(view: TimelineView, p: ProcessView): HTMLElement {
  const reasons = HANDOFF_REASONS.filter((r) => p.handoffsByReason[r] > 0).map((r) => `${r} ${p.handoffsByReason[r]}`);
  const facts: [string, string][] = [
    ["Interpreter", p.interpreter],
    ["GIL", p.gilMode],
    ["Wall time", formatDuration(p.wallMs)],
    ["Handoffs", `${p.handoffsTotal}${reasons.length ? ` (${reasons.join(", ")})` : ""}`],
  ];
  if (p.observedSwitchIntervalMs !== null) facts.push(["Switch seen", `every ${formatDuration(p.observedSwitchIntervalMs)} (median preempted slice)`]);
  if (p.exitCode !== null) facts.push(["Exit code", String(p.exitCode)]);
  const dl = el("dl", { class: "facts" });
  for (const [k, v] of facts) dl.append(el("dt", {}, k), el("dd", {}, v));
  const title = view.processes.length > 1 ? `Process ${p.pid}${p.parentPid !== null ? ` (child of ${p.parentPid})` : ""}` : "Run";
  return el("section", { "aria-label": title }, el("h2", {}, title), p.script ? el("p", { class: "script" }, p.script) : null, dl);
}

function shareBar(l: LaneView): HTMLElement {
  const life = Math.max(l.runningMs + l.waitingMs + l.blockedMs, 1e-9);
  const bar = el("span", { class: "share", "aria-hidden": "true" });
  (["running", "waiting", "blocked"] as const).forEach((state, i) => {
    const part = el("span", { class: `share-${state}` });
    part.style.width = `${(100 * [l.runningMs, l.waitingMs, l.blockedMs][i]) / life}%`;
    bar.append(part);
  });
  return bar;
}

function laneItem(view: TimelineView, index: number, handlers: SummaryHandlers): HTMLElement {
  const l = view.lanes[index];
  const life = Math.max(l.runningMs + l.waitingMs + l.blockedMs, 1e-9);
  // A free-threaded process has no GIL to hold or wait for: its threads run in parallel.
  const gil = view.processes.find((p) => p.pid === l.pid)?.gilEnabled !== false;
  const held = gil ? `GIL ${formatPercent(l.gilShare)} \u00b7 waiting ${formatPercent(l.waitingMs / life)}` : `running ${formatPercent(l.runningMs / life)}`;
  const mean = meanSliceMs(l.runningMs, l.slices);
  const figures = `${held} \u00b7 blocked ${formatPercent(l.blockedMs / life)} \u00b7 ${l.slices} slices${mean === null ? "" : `, mean ${formatDuration(mean)}`}`;
  const label = `${l.name}${view.processes.length > 1 ? ` in process ${l.pid}` : ""}${l.target ? `, target ${l.target}` : ""}: ${figures}${l.exception ? `, died with ${l.exception}` : ""}`;
  const item = el(
    "li",
    { role: "option", tabindex: index === 0 ? 0 : -1, "data-lane": index, "aria-label": label, "aria-selected": "false" },
    el("span", { class: "lane-name" }, l.name),
    view.processes.length > 1 ? el("span", { class: "lane-pid" }, `pid ${l.pid} `) : null,
    l.target ? el("span", { class: "lane-target" }, l.target) : null,
    shareBar(l),
    el("span", { class: "lane-figures" }, figures),
    l.exception ? el("span", { class: "lane-exception" }, l.exception) : null,
  );
  item.addEventListener("focus", () => handlers.lane(index, false));
  item.addEventListener("click", () => handlers.lane(index, true));
  item.addEventListener("keydown", (e) => e.key === "Enter" && handlers.lane(index, true));
  return item;
}

function raceItem(view: TimelineView, index: number, handlers: SummaryHandlers): HTMLElement {
  const r = view.races[index];
  const first = r.accesses.find((a) => a.op === "write") ?? r.accesses[0];
  const where = first ? ` at line ${first.line}` : "";
  const text = `${r.variable}: ${r.kind === "lost-update" ? "lost update" : "unsynchronized"} \u00d7${r.count}${where}${r.possibleUntraced ? "" : " (tracing only)"}`;
  const item = el("li", { role: "option", tabindex: index === 0 ? 0 : -1, "data-race": index, "aria-label": `Race point ${text}`, "aria-selected": "false" }, text);
  item.addEventListener("click", () => handlers.race(index));
  item.addEventListener("keydown", (e) => e.key === "Enter" && handlers.race(index));
  return item;
}

function deadlockSection(view: TimelineView, handlers: SummaryHandlers): HTMLElement {
  const list = el("ul", { role: "listbox", class: "deadlocks", "aria-label": "Deadlocks (arrows to move, Enter to show)" });
  view.deadlocks.forEach((d, i) => {
    const item = el("li", { role: "option", tabindex: i === 0 ? 0 : -1, "data-deadlock": i, "aria-label": d.text, "aria-selected": "false" },
      el("strong", {}, d.label), el("span", { class: "deadlock-text" }, d.text));
    item.addEventListener("click", () => handlers.deadlock(i));
    item.addEventListener("keydown", (e) => e.key === "Enter" && handlers.deadlock(i));
    list.append(item);
  });
  rovingFocus(list, "[data-deadlock]");
  return el("section", { "aria-label": "Deadlocks", class: "deadlocks" }, el("h2", {}, `Deadlocks (${view.deadlocks.length})`), list);
}

export function renderSummary(host: HTMLElement, view: TimelineView, handlers: SummaryHandlers): { races: HTMLElement; explainer: HTMLElement } {
  // A live update re-renders the pane: keep keyboard focus where it was.
  const focused = (document.activeElement as HTMLElement | null)?.dataset;
  const focusedLane = focused?.lane;
  const focusedRace = focused?.race;
  const focusedDeadlock = focused?.deadlock;
  host.replaceChildren();
  // The verdict first: it is what the run means; the figures below back it up.
  if (view.verdict.length) {
    host.append(el("section", { "aria-label": "Verdict", class: "verdict" }, el("h2", {}, "Verdict"), ...view.verdict.map((v) => el("p", {}, ...richText(v)))));
  }
  // A deadlock is what the run means when there is one: right after the verdict.
  if (view.deadlocks.length) host.append(deadlockSection(view, handlers));
  for (const p of view.processes) host.append(processSection(view, p));
  if (view.gaps.length) host.append(gapSection(view));
  const lanes = el("ul", { role: "listbox", class: "lanes", "aria-label": "Threads (arrows to move, Enter to open the target)" });
  view.lanes.forEach((_, i) => lanes.append(laneItem(view, i, handlers)));
  rovingFocus(lanes, "[data-lane]");
  host.append(el("section", { "aria-label": "Threads" }, el("h2", {}, `Threads (${view.lanes.length})`), lanes));
  const races = el("ul", { role: "listbox", class: "races", "aria-label": "Race points (arrows to move, Enter to explain)" });
  view.races.forEach((_, i) => races.append(raceItem(view, i, handlers)));
  rovingFocus(races, "[data-race]");
  const explainer = el("div", { class: "explainer", "aria-live": "polite", hidden: true });
  host.append(
    el("section", { "aria-label": "Race points" }, el("h2", {}, `Race points (${view.races.length})`), view.races.length ? races : el("p", { class: "none" }, "No race points found."), explainer),
  );
  const notes = [...(view.problem ? [view.problem] : []), ...view.warnings];
  if (notes.length) host.append(el("section", { "aria-label": "Warnings", class: "warnings" }, el("h2", {}, "Warnings"), ...notes.map((w) => el("p", {}, w))));
  if (focusedLane !== undefined) host.querySelector<HTMLElement>(`[data-lane="${Number(focusedLane)}"]`)?.focus();
  if (focusedRace !== undefined) host.querySelector<HTMLElement>(`[data-race="${Number(focusedRace)}"]`)?.focus();
  if (focusedDeadlock !== undefined) host.querySelector<HTMLElement>(`[data-deadlock="${Number(focusedDeadlock)}"]`)?.focus();
  return { races, explainer };
}

export function markSelected(list: HTMLElement, attr: "data-race" | "data-lane" | "data-deadlock", index: number): void {
  for (const item of list.querySelectorAll<HTMLElement>(`[${attr}]`)) item.setAttribute("aria-selected", String(item.getAttribute(attr) === String(index)));
}
