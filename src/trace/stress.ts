// Race stress (issue 5): the same script run N times at a tiny switch interval, folded into one
// report: how often the output differed from the most common one, and in how many runs each race
// point appeared. Pure: it sees only what each run produced, not how it was run.
import type { RacePoint } from "./types";

/** What one stress run left behind. */
export interface StressRun {
  stdout: string;
  exitCode: number | null;
  races: RacePoint[];
  /** The trace was damaged or a process had no end record: its race points may be missing. */
  truncated: boolean;
}

export interface StressOutput {
  stdout: string;
  exitCode: number | null;
  /** Runs that ended with exactly this stdout and exit code. */
  count: number;
}

export interface StressRacePoint {
  variable: string;
  file: string;
  line: number;
  kind: RacePoint["kind"];
  /** Runs in which this race point was found (at most once per run). */
  runs: number;
  /**
   * Could the untraced interpreter switch threads here (RacePoint.possibleUntraced)? True when any
   * run's race point said so; false: on this interpreter only the tracer's callbacks made it happen.
   */
  possibleUntraced: boolean;
  /** RacePoint.explanation of the first run that gave this verdict. */
  explanation: string;
}

/** `gil-timeline trace --stress N --json` (docs/summary-schema.json, `$defs/stress`). */
export interface StressReport {
  runs: number;
  /** The switch interval every run used, in seconds. */
  switchIntervalS: number;
  /** Runs whose output (stdout, exit code) differs from the most common one. */
  differingRuns: number;
  /** Runs whose trace was incomplete (see StressRun.truncated). */
  truncatedRuns: number;
  /** Distinct outputs, most common first. */
  outputs: StressOutput[];
  /** Race points by variable and line, most frequent first. */
  racePoints: StressRacePoint[];
}

/**
 * Where a race point is, for counting it across runs: its first write (the update that can be
 * lost), else its first access. The interleaving differs from run to run; the write's line does not.
 */
export function racePointLine(r: RacePoint): { file: string; line: number } {
  const at = r.accesses.find((a) => a.op === "write") ?? r.accesses[0];
  return at ? { file: at.file, line: at.line } : { file: "", line: 0 };
}

export function stressReport(runs: StressRun[], switchIntervalS: number): StressReport {
  const outputs = new Map<string, StressOutput>();
  const points = new Map<string, StressRacePoint>();
  for (const run of runs) {
    const key = JSON.stringify([run.stdout, run.exitCode]);
    const seen = outputs.get(key);
    if (seen) seen.count++;
    else outputs.set(key, { stdout: run.stdout, exitCode: run.exitCode, count: 1 });
    // A variable can race at several lines, and one line can hold several race points: count a
    // (variable, line, kind) once per run however many the run had.
    const inRun = new Set<string>();
    for (const r of run.races) {
      const { file, line } = racePointLine(r);
      const k = JSON.stringify([r.variable, file, line, r.kind]);
      if (inRun.has(k)) continue;
      inRun.add(k);
      const p = points.get(k);
      if (!p) points.set(k, { variable: r.variable, file, line, kind: r.kind, runs: 1, possibleUntraced: r.possibleUntraced, explanation: r.explanation });
      else {
        p.runs++;
        // One run that could race untraced makes the point the program's own, whatever the others saw.
        if (r.possibleUntraced && !p.possibleUntraced) Object.assign(p, { possibleUntraced: true, explanation: r.explanation });
      }
    }
  }
  // Ties keep first-seen order (Array.prototype.sort is stable), so the report is reproducible.
  const sortedOutputs = [...outputs.values()].sort((a, b) => b.count - a.count);
  return {
    runs: runs.length,
    switchIntervalS,
    differingRuns: runs.length - (sortedOutputs[0]?.count ?? 0),
    truncatedRuns: runs.filter((r) => r.truncated).length,
    outputs: sortedOutputs,
    racePoints: [...points.values()].sort((a, b) => b.runs - a.runs || a.file.localeCompare(b.file) || a.line - b.line),
  };
}

/** Shown outputs are cut to this many characters (the JSON keeps them whole). */
const SHOWN_OUTPUT = 400;

function shownOutput(stdout: string): string {
  const text = stdout.length > SHOWN_OUTPUT ? `${stdout.slice(0, SHOWN_OUTPUT)}\u2026 (${stdout.length} characters)` : stdout;
  return text === "" ? "(no output)" : text.replace(/\n$/, "").replace(/\n/g, "\n        ");
}

function basename(file: string): string {
  return file.slice(Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\")) + 1);
}

/** The report as text for the terminal. */
export function stressText(r: StressReport): string {
  // 1e-6, as --switch-interval takes it, rather than 0.000001.
  const interval = r.switchIntervalS < 1e-3 ? r.switchIntervalS.toExponential() : String(r.switchIntervalS);
  const out = [`Race stress: ${r.runs} run${r.runs === 1 ? "" : "s"} at switch interval ${interval} s`];
  out.push(
    r.outputs.length <= 1
      ? `Output: the same in every run`
      : `Output: ${r.differingRuns} of ${r.runs} runs differ from the most common output (${r.outputs.length} distinct outputs)`,
  );
  for (const o of r.outputs) {
    out.push(`  ${o.count}x  exit ${o.exitCode ?? "killed"}:`);
    out.push(`        ${shownOutput(o.stdout)}`);
  }
  if (r.truncatedRuns > 0) out.push(`Warning: ${r.truncatedRuns} run${r.truncatedRuns === 1 ? "" : "s"} left an incomplete trace; race points there may be missing`);
  if (r.racePoints.length === 0) out.push("Race points: none in any run");
  else {
    out.push("Race points:");
    for (const p of r.racePoints) {
      out.push(`  ${p.variable} (${p.kind}) at ${basename(p.file)}:${p.line}: in ${p.runs} of ${r.runs} runs`);
      // A point this interpreter cannot reach untraced is the tracer's doing here: never the program's behaviour.
      out.push(
        p.possibleUntraced
          ? "    can happen without the tracer on this Python: yes"
          : "    can happen without the tracer on this Python: no, only under the tracer (its callbacks are switch points; see why below)",
      );
      if (p.explanation) out.push(`    ${p.explanation}`);
    }
  }
  return out.join("\n") + "\n";
}
