// The CLI's readable rendering of a TraceSummary: interpreter, threads with their GIL share,
// handoffs by reason, warnings, and where decoding stopped.
import { deadlockText } from "./deadlockText";
import type { TraceSummary } from "./summary";
import type { TraceGap } from "./types";

const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`);
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

export function summaryText(s: TraceSummary): string {
  const out: string[] = [];
  const py = s.python;
  const gil = py.gilEnabled ? `GIL enabled, switch interval ${+(py.switchIntervalS * 1000).toPrecision(6)} ms` : "GIL disabled (free-threaded)";
  out.push(`Python ${py.version || "?"} (${py.executable || "?"}), ${gil}${py.mechanism ? `, traced with ${py.mechanism}` : ""}`);
  const err = s.script.error;
  out.push(
    `Script ${s.script.path ?? "(module)"}: ${ending(s.script)}, ${ms(s.durationMs)}` +
      (err ? `\n  ${err.type}: ${err.message}${err.file ? ` (${err.file}${err.line !== null ? `:${err.line}` : ""})` : ""}` : ""),
  );
  for (const p of s.processes) {
    out.push("");
    const observed = p.observedSwitchIntervalMs === null ? "" : `, observed switch interval ${ms(p.observedSwitchIntervalMs)}`;
    out.push(`Process ${p.pid}${p.parentPid !== null ? ` (parent ${p.parentPid})` : ""}: ${ms(p.durationMs)}${observed}`);
    const rows = p.threads.map((t) => [
      `${t.index}`,
      t.name + (t.target ? ` → ${t.target.function} (line ${t.target.line})` : ""),
      pct(t.gilShare),
      ms(t.runningMs),
      ms(t.waitingMs),
      ms(t.blockedMs),
      `${t.slices}`,
      t.meanSliceMs === null ? "-" : ms(t.meanSliceMs),
    ]);
    out.push(...table(["#", "thread", "GIL share", "running", "waiting", "blocked", "slices", "mean slice"], rows).map((l) => `  ${l}`));
    for (const t of p.threads) {
      if (t.exception) out.push(`  thread ${t.name} raised ${t.exception.type}: ${t.exception.message}${t.exception.line !== null ? ` (line ${t.exception.line})` : ""}`);
    }
  }
  out.push("");
  const reasons = Object.entries(s.handoffs.byReason).filter(([, n]) => n > 0).map(([r, n]) => `${r} ${n}`);
  out.push(`Handoffs: ${s.handoffs.total}${reasons.length ? ` (${reasons.join(", ")})` : ""}`);
  out.push(`Trace: ${s.trace.events} events${s.trace.truncated ? ", incomplete" : ""}`);
  for (const g of s.trace.gaps) out.push(`  ${gapText(g)}`);
  if (s.trace.problem) out.push(`  decoding stopped at byte ${s.trace.problem.byteOffset} (${s.trace.problem.kind}): ${s.trace.problem.message}`);
  for (const w of s.trace.warnings) if (!s.trace.problem || !w.startsWith("decoding stopped")) out.push(`  warning: ${w}`);
  for (const d of s.deadlocks) out.push(deadlockText(d));
  if (s.races.length) out.push(`Race points: ${s.races.length} (${s.races.map((r) => r.variable).join(", ")})`);
  return out.join("\n") + "\n";
}

/** A gap's caption: how many events a run over its event limit left out. */
export function gapLabel(g: TraceGap): string {
  return `${g.dropped} events dropped (limit ${g.limit})`;
}

/** One line per gap: what a run over its event limit left out, and where. */
export function gapText(g: TraceGap): string {
  const kinds = Object.entries(g.byKind).sort((x, y) => y[1] - x[1]).map(([k, n]) => `${k} ${n}`);
  return `gap in process ${g.pid}: ${gapLabel(g)} from ${ms(g.fromMs)} to ${ms(g.toMs)}` +
    (kinds.length ? ` (${kinds.join(", ")})` : "");
}

const SIGNAL_NAMES: Record<number, string> = { 1: "SIGHUP", 2: "SIGINT", 9: "SIGKILL", 15: "SIGTERM" };

function ending(script: TraceSummary["script"]): string {
  if (script.exitCode !== null) return `exit code ${script.exitCode}`;
  if (script.signal !== null) return `killed by signal ${script.signal}${SIGNAL_NAMES[script.signal] ? ` (${SIGNAL_NAMES[script.signal]})` : ""}`;
  return "no exit recorded (killed)";
}

function table(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ").trimEnd();
  return [line(head), ...rows.map(line)];
}
