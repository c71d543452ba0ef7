// The race explainer: both threads' accesses in global order, the lost update marked, whether
// the race can happen without the tracer on this interpreter, and the fix.
import type { RaceView, SiteView, TimelineView } from "../src/protocol";
import { el, richText } from "./dom";
import { formatTime } from "./format";

function stepButton(label: string, note: string | null, site: SiteView, reveal: (s: SiteView) => void): HTMLElement {
  const lost = note !== null && /lost|stale|overwrit/i.test(note);
  const button = el("button", { class: `step${lost ? " lost" : ""}`, type: "button", "aria-label": `${label}${note ? `, ${note}` : ""}` }, label);
  if (note) button.append(el("span", { class: "note" }, lost ? `\u26a0 ${note}` : note));
  button.addEventListener("click", () => reveal(site));
  return el("li", {}, button);
}

function steps(view: TimelineView, race: RaceView, reveal: (s: SiteView) => void): HTMLElement {
  const list = el("ol", { class: "steps", "aria-label": "accesses in global order" });
  const span = view.durationMs;
  if (race.interleaving.length > 0) {
    for (const s of race.interleaving) {
      const label = `${formatTime(s.timeMs, span)} ${s.threadName}: ${s.instruction} ${s.variable} (line ${s.line})`;
      list.append(stepButton(label, s.note, { file: s.file, line: s.line, function: s.variable }, reveal));
    }
  } else {
    for (const a of race.accesses) {
      const name = a.lane >= 0 ? view.lanes[a.lane].name : "?";
      const label = `${formatTime(a.timeMs, span)} ${name}: ${a.op} ${race.variable} via ${a.instruction} (line ${a.line})`;
      list.append(stepButton(label, null, { file: a.file, line: a.line, function: race.variable }, reveal));
    }
  }
  return list;
}

export function renderExplainer(host: HTMLElement, view: TimelineView, index: number, reveal: (s: SiteView) => void): void {
  host.replaceChildren();
  const race = view.races[index];
  if (!race) {
    host.hidden = true;
    return;
  }
  host.hidden = false;
  const interpreter = view.processes[0]?.interpreter ?? "this interpreter";
  host.append(
    el("h3", {}, `Race on `, el("code", {}, race.variable), ` (${race.kind === "lost-update" ? "lost update" : "unsynchronized access"}, ${race.count}\u00d7)`),
    steps(view, race, reveal),
    el(
      "p",
      { class: race.possibleUntraced ? "untraced yes" : "untraced no" },
      el("strong", {}, `Without the tracer on ${interpreter}: ${race.possibleUntraced ? "can happen" : "cannot switch here"}. `),
      ...richText(race.explanation),
    ),
    el("p", { class: "fix" }, el("strong", {}, "Fix: "), ...richText(race.fix)),
  );
  host.scrollIntoView({ block: "nearest" });
}
