// Side-by-side experiments (issue 5): the same script run under two or more variants (switch
// interval, interpreter, stress), reduced to a small table of differences. Pure: it reads only the
// JSON summaries and what the runs printed, so the CLI, the panel and tests share one table.
import type { TraceSummary } from "./summary";
import type { HandoffReason } from "./types";

/** What one run changed from the plain run. */
export interface Variant {
  /** Shown above the run's timeline and as the table's column head. */
  label: string;
  /** Interpreter executable; undefined: the default one. */
  python?: string;
  /** sys.setswitchinterval() for the run, seconds; undefined: the interpreter's own. */
  switchIntervalS?: number;
}

export interface ComparedRun {
  variant: Variant;
  summary: TraceSummary;
  /** Everything the script wrote to stdout. */
  stdout: string;
  exitCode: number | null;
}

/** settings: what the variant chose; measure: timing that always wobbles a little; outcome: what the run ended with. */
export type RowKind = "setting" | "measure" | "outcome";

export interface DiffRow {
  /** Stable name for tools and tests, e.g. `wallMs`, `handoffs.preempted`. */
  key: string;
  label: string;
  kind: RowKind;
  /** One display value per run, in run order. */
  values: string[];
  /** The number behind each value when there is one (null: not known for that run). */
  numbers: (number | null)[] | null;
  /** Whether the runs differ here (measures: by more than their tolerance, see MEASURE_TOLERANCE). */
  differs: boolean;
}

export interface Comparison {
  labels: string[];
  rows: DiffRow[];
}

/**
 * Timings of one script wobble by some per cent from run to run on a loaded machine: a measure
 * "differs" only when the largest value is more than this fraction above the smallest.
 */
export const MEASURE_TOLERANCE = 0.25;
/** GIL shares are fractions already: they differ when they are this many percentage points apart. */
export const SHARE_TOLERANCE = 0.1;
/** Small counts wobble too (2 or 3 blocking handoffs): counts differ only when this far apart as well. */
export const MIN_COUNT_DIFFERENCE = 3;
/** How many of the last stdout lines make up the "final output". */
export const OUTPUT_LINES = 3;

const REASONS: readonly HandoffReason[] = ["preempted", "blocking", "lockWait", "threadStart", "threadExit"];

const ms = (v: number): string => (v >= 1000 ? `${+(v / 1000).toFixed(2)} s` : `${+v.toFixed(1)} ms`);
const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;

/** The last lines a run printed (trailing blank lines ignored), the part of the output a lab checks. */
export function finalOutput(stdout: string, lines = OUTPUT_LINES): string {
  const all = stdout.replace(/\r\n/g, "\n").replace(/\s+$/, "").split("\n");
  return all.slice(-lines).join("\n");
}

function relativelyApart(numbers: (number | null)[], tolerance: number): boolean {
  const known = numbers.filter((n): n is number => n !== null);
  if (known.length < 2) return false;
  const lo = Math.min(...known);
  const hi = Math.max(...known);
  if (hi === lo) return false;
  return lo <= 0 ? true : hi / lo - 1 > tolerance;
}

function absolutelyApart(numbers: (number | null)[], tolerance: number): boolean {
  const known = numbers.filter((n): n is number => n !== null);
  return known.length >= 2 && Math.max(...known) - Math.min(...known) > tolerance;
}

function countsApart(numbers: (number | null)[]): boolean {
  return relativelyApart(numbers, MEASURE_TOLERANCE) && absolutelyApart(numbers, MIN_COUNT_DIFFERENCE - 1);
}

const allEqual = (values: string[]): boolean => values.every((v) => v === values[0]);

function textRow(key: string, label: string, kind: RowKind, values: string[]): DiffRow {
  return { key, label, kind, values, numbers: null, differs: !allEqual(values) };
}

function countRow(key: string, label: string, kind: RowKind, numbers: (number | null)[], apart: (n: (number | null)[]) => boolean, show: (n: number) => string = String): DiffRow {
  return { key, label, kind, values: numbers.map((n) => (n === null ? "?" : show(n))), numbers, differs: apart(numbers) };
}

/** Threads that do the work: every thread but the main one, unless the main one is all there is. */
function workerShares(s: TraceSummary): number[] {
  const threads = s.processes.flatMap((p) => p.threads);
  const workers = threads.filter((t) => t.index !== 0);
  return (workers.length > 0 ? workers : threads).map((t) => t.gilShare);
}

function shareText(shares: number[]): string {
  if (shares.length === 0) return "?";
  const mean = shares.reduce((a, b) => a + b, 0) / shares.length;
  if (shares.length === 1) return pct(mean);
  return `${pct(mean)} (${pct(Math.min(...shares))}\u2013${pct(Math.max(...shares))})`;
}

/** Fraction of the run's processes' lifetimes in which some thread held their GIL. */
function gilHeld(s: TraceSummary): number | null {
  const lifetime = s.processes.reduce((sum, p) => sum + p.durationMs, 0);
  if (lifetime <= 0) return null;
  const running = s.processes.reduce((sum, p) => sum + p.threads.reduce((t, th) => t + th.runningMs, 0), 0);
  return running / lifetime;
}

function raceVariables(s: TraceSummary): string {
  const names = [...new Set(s.races.map((r) => r.variable))].sort();
  return names.length > 0 ? names.join(", ") : "none";
}

/** The table of differences between two or more runs of one script. */
export function compareRuns(runs: ComparedRun[]): Comparison {
  if (runs.length < 2) throw new Error(`a comparison needs two runs or more, not ${runs.length}`);
  const summaries = runs.map((r) => r.summary);
  const rows: DiffRow[] = [
    textRow("python", "Python", "setting", summaries.map((s) => (s.python.gilEnabled ? s.python.version : `${s.python.version} (free-threaded)`) || "?")),
    countRow("switchIntervalMs", "switch interval", "setting", summaries.map((s) => s.python.switchIntervalS * 1000), (n) => !allEqual(n.map(String)), (v) => `${+v.toPrecision(3)} ms`),
    countRow("wallMs", "wall time", "measure", summaries.map((s) => s.durationMs), (n) => relativelyApart(n, MEASURE_TOLERANCE), ms),
    countRow("gilHeld", "GIL held", "measure", summaries.map(gilHeld), (n) => absolutelyApart(n, SHARE_TOLERANCE), pct),
  ];
  const shares = summaries.map(workerShares);
  rows.push({
    key: "gilShare",
    label: "GIL share per thread",
    kind: "measure",
    values: shares.map(shareText),
    numbers: shares.map((s) => (s.length ? s.reduce((a, b) => a + b, 0) / s.length : null)),
    // The mean alone hides one thread starving: compare the spread too.
    differs: absolutelyApart(shares.map((s) => (s.length ? Math.max(...s) - Math.min(...s) : null)), SHARE_TOLERANCE) ||
      absolutelyApart(shares.map((s) => (s.length ? s.reduce((a, b) => a + b, 0) / s.length : null)), SHARE_TOLERANCE),
  });
  rows.push(countRow("observedSwitchMs", "observed switch interval", "measure", summaries.map((s) => s.processes[0]?.observedSwitchIntervalMs ?? null), (n) => relativelyApart(n, MEASURE_TOLERANCE), ms));
  rows.push(countRow("handoffs", "handoffs", "measure", summaries.map((s) => s.handoffs.total), countsApart));
  for (const reason of REASONS) {
    const counts = summaries.map((s) => s.handoffs.byReason[reason] ?? 0);
    if (counts.every((c) => c === 0)) continue;
    rows.push(countRow(`handoffs.${reason}`, `\u2003${reason}`, "measure", counts, countsApart));
  }
  rows.push(countRow("races", "race points", "outcome", summaries.map((s) => s.races.length), (n) => !allEqual(n.map(String))));
  rows.push(textRow("raceVariables", "racing variables", "outcome", summaries.map(raceVariables)));
  rows.push(countRow("exitCode", "exit code", "outcome", runs.map((r) => r.exitCode), (n) => !allEqual(n.map(String)), String));
  rows.push(textRow("output", "final output", "outcome", runs.map((r) => finalOutput(r.stdout))));
  return { labels: runs.map((r) => r.variant.label), rows };
}

/** The table as fixed-width text for a terminal; `*` marks the rows where the runs differ. */
export function comparisonText(c: Comparison): string {
  // The script's output is shown again: control characters (escape sequences) become visible escapes.
  const oneLine = (v: string) =>
    v.replace(/\n/g, " \u23ce ").replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
  const head = ["", ...c.labels];
  const body = c.rows.map((r) => [`${r.differs ? "* " : "  "}${r.label}`, ...r.values.map(oneLine)]);
  const widths = head.map((_, i) => Math.max(...[head, ...body].map((row) => row[i].length)));
  const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i])).join("  ").trimEnd();
  return [line(head), ...body.map(line), "", `* the runs differ here (timings: by more than ${MEASURE_TOLERANCE * 100}%, GIL shares: by more than ${SHARE_TOLERANCE * 100} points)`].join("\n") + "\n";
}
