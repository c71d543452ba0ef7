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

/** The longest run of backticks in `text` (0 when there is none). */
function longestBacktickRun(text: string): number {
  return Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
}

/** A fenced code block that no line of `lines` can close: its fence is longer than any backtick run in them. */
export function codeFence(lines: string[], info = "text"): string[] {
  const fence = "`".repeat(Math.max(3, longestBacktickRun(lines.join("\n")) + 1));
  return [`${fence}${info}`, ...lines, fence];
}

/** An inline code span holding `text` verbatim, whatever backticks it contains (CommonMark's rule). */
export function codeSpan(text: string): string {
  const flat = text.replace(/[\r\n]+/g, " ");
  const ticks = "`".repeat(longestBacktickRun(flat) + 1);
  const pad = flat.startsWith("`") || flat.endsWith("`") || /^ .* $/.test(flat) ? " " : "";
  return `${ticks}${pad}${flat}${pad}${ticks}`;
}

/** Text shown as itself in Markdown: every character Markdown could read as syntax is escaped (as VS Code's appendText does). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-!~<>]/g, "\\$&").replace(/[\r\n]+/g, " ");
}

/** The model's text, where `backquoted` parts are names (richText's convention): names as code spans, the rest escaped. */
function backquotedMarkdown(text: string): string {
  return text.split("`").map((part, i) => (i % 2 === 1 ? codeSpan(part) : escapeMarkdown(part))).join("");
}

/** A program-made name on one line of a code block. */
const oneLine = (text: string): string => text.replace(/[\r\n\u2028\u2029]+/g, " ");

/**
 * The hover: the interleaving as both threads executed it, the untraced verdict, the fix (Markdown).
 * Shown as an untrusted MarkdownString (no HTML, no command links); every program-made string
 * (thread, variable, function and file names) is escaped or fenced so it cannot become Markdown.
 */
export function raceHoverMarkdown(race: RacePoint, model: TraceModel): string {
  const names = new Map(model.threads.map((t) => [t.id, oneLine(t.name)]));
  const name = (id: string): string => names.get(id) ?? id;
  const out = [`**GIL Timeline: race on ${codeSpan(race.variable)}** (${KIND_TEXT[race.kind]}, ${race.count}×)`, ""];
  if (race.interleaving.length > 0) {
    const width = Math.max(...race.interleaving.map((s) => name(s.thread).length));
    const block: string[] = [];
    for (const s of race.interleaving) {
      const note = s.note ? `   <- ${s.note}` : "";
      block.push(oneLine(`${name(s.thread).padEnd(width)}  line ${String(s.line).padEnd(4)} ${s.instruction} ${s.variable}${note}`));
      const callers = stackText(s.stack);
      if (callers) block.push(oneLine(`${" ".repeat(width)}  ${callers}`));
    }
    out.push(...codeFence(block), "");
  }
  const verdict = race.possibleUntraced ? "**yes**" : "**not at this spot**";
  out.push(`Can this happen without the tracer on ${escapeMarkdown(interpreterOf(model))}? ${verdict}.`);
  if (race.explanation) out.push("", backquotedMarkdown(race.explanation));
  if (race.fix) out.push("", `Fix: ${backquotedMarkdown(race.fix)}`);
  return out.join("\n");
}
