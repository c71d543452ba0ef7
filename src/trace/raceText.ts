// Race points as plain text for the CLI: the verdict, the interleaving as the lesson's `dis`
// listing (`T1 LOAD_GLOBAL counter` / ... / `T1 STORE_GLOBAL counter  <- lost update`) and the fix.
import type { RacePoint, SourceSite } from "./types";

/** The file name of a path (no node:path: src/trace also runs in the webview bundle). */
function basename(file: string): string {
  return file.slice(Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\")) + 1);
}

/** `1234:2` → `T2`; the main thread (index 0) → `main`. */
export function threadLabel(threadId: string): string {
  const index = threadId.slice(threadId.lastIndexOf(":") + 1);
  return index === "0" ? "main" : `T${index}`;
}

/** A short stack as one line: `called from helper (work.py:8) < worker (work.py:10)`; "" when empty. */
export function stackText(stack: readonly SourceSite[] | undefined): string {
  if (!stack || stack.length === 0) return "";
  return `called from ${stack.map((s) => `${s.function} (${basename(s.file)}:${s.line})`).join(" < ")}`;
}

export function raceText(races: RacePoint[]): string {
  if (races.length === 0) return "";
  // Follows the summary's one-line "Race points: N (...)" with the details of each.
  const out: string[] = [];
  for (const r of races) {
    // A lost update this interpreter could not have made untraced is the tracer's doing: say so.
    const lost = `${r.count} lost update${r.count === 1 ? "" : "s"} seen${r.possibleUntraced ? "" : ", caused by tracing"}`;
    const what = r.kind === "lost-update" ? lost : `${r.count} access${r.count === 1 ? "" : "es"} with no lock or order against another thread's`;
    out.push(`  ${r.variable}: ${r.kind} (${what}; can happen without the tracer on this Python: ${r.possibleUntraced ? "yes" : "no"})`);
    out.push(`    ${r.explanation}`);
    // Shared memory across processes: every process has a `main`, so name the process too.
    const pids = new Set(r.interleaving.map((s) => s.thread.slice(0, s.thread.lastIndexOf(":"))));
    const label = (id: string) => (pids.size > 1 ? `pid ${id.slice(0, id.lastIndexOf(":"))} ${threadLabel(id)}` : threadLabel(id));
    const width = Math.max(0, ...r.interleaving.map((s) => `${label(s.thread)} ${s.instruction} ${s.variable}`.length));
    for (const s of r.interleaving) {
      const text = `${label(s.thread)} ${s.instruction} ${s.variable}`.padEnd(width);
      out.push(`      ${text}  ${basename(s.file)}:${s.line}${s.note ? `  <- ${s.note}` : ""}`);
      const callers = stackText(s.stack);
      if (callers) out.push(`      ${" ".repeat(width)}  ${callers}`);
    }
    out.push(`    fix: ${r.fix}`);
  }
  return out.join("\n") + "\n";
}
