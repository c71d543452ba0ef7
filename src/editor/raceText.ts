// What the editor says about a race point: the diagnostic message, the hover (interleaving,
// untraced verdict, fix) and which lines of which file it marks. Pure: no vscode import.
import { stackText } from "../trace/raceText";
import type { RacePoint, TraceModel } from "../trace/types";

/** Lines (1-based, ascending, distinct) of a race's accesses, per file. */
export function raceLinesByFile(race: RacePoint): Map<string, number[]> {
  const byFile = new Map<string, Set<number>>();
  const add = (file: string, line: number): void => {
    if (line > 0) byFile.set(file, (byFile.get(file) ?? new Set()).add(line));
  };
  for (const a of race.accesses) add(a.file, a.line);
  if (race.accesses.length === 0) for (const s of race.interleaving) add(s.file, s.line);
  return new Map([...byFile].map(([f, lines]) => [f, [...lines].sort((a, b) => a - b)]));
}

const KIND_TEXT: Record<RacePoint["kind"], string> = {
  "lost-update": "lost update",
  unsynchronized: "unsynchronized access",
};

/** One line for the Problems panel, e.g. "Race on `counter`: lost update (12×) between 4 threads; possible without the tracer". */
export function raceMessage(race: RacePoint): string {
  const threads = new Set(race.accesses.map((a) => a.thread)).size;
  const between = threads > 1 ? ` between ${threads} threads` : "";
  const untraced = race.possibleUntraced
    ? "can happen without the tracer on this interpreter"
    : "seen only because tracing adds switch points; still unsafe";
  return `Race on \`${race.variable}\`: ${KIND_TEXT[race.kind]} (${race.count}×)${between}; ${untraced}.`;
}

function interpreterOf(model: TraceModel): string {
  const p = model.processes[0]?.python;
  return p ? `${p.implementation === "cpython" ? "CPython" : p.implementation} ${p.version}` : "this interpreter";
}

/**
 * The hover: the interleaving as both threads executed it, the untraced verdict, the fix (Markdown).
 * Shown as an untrusted MarkdownString (no HTML, no command links), so program-made names are inert.
 */
export function raceHoverMarkdown(race: RacePoint, model: TraceModel): string {
  const names = new Map(model.threads.map((t) => [t.id, t.name]));
  const name = (id: string): string => names.get(id) ?? id;
  const out = [`**GIL Timeline: race on \`${race.variable}\`** (${KIND_TEXT[race.kind]}, ${race.count}×)`, ""];
  if (race.interleaving.length > 0) {
    const width = Math.max(...race.interleaving.map((s) => name(s.thread).length));
    out.push("```text");
    for (const s of race.interleaving) {
      const note = s.note ? `   <- ${s.note}` : "";
      out.push(`${name(s.thread).padEnd(width)}  line ${String(s.line).padEnd(4)} ${s.instruction} ${s.variable}${note}`);
      const callers = stackText(s.stack);
      if (callers) out.push(`${" ".repeat(width)}  ${callers}`);
    }
    out.push("```", "");
  }
  const verdict = race.possibleUntraced ? "**yes**" : "**not at this spot**";
  out.push(`Can this happen without the tracer on ${interpreterOf(model)}? ${verdict}.`);
  if (race.explanation) out.push("", race.explanation);
  if (race.fix) out.push("", `Fix: ${race.fix}`);
  return out.join("\n");
}
