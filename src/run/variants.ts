// The variants of a comparison (issue 5): how they are written on the command line, what they are
// called, and running a script once per variant under the tracer. No vscode import: the CLI and the
// extension's "Compare Runs…" command both use it.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ComparedRun, Variant } from "../trace/compare";
import type { TraceModel } from "../trace/types";
import { probePython, type PythonInstall } from "./pythons";
import { runSummary } from "./runSummary";
import { runTracer, type RunOptions, type RunResult } from "./runTracer";
import { STRESS_SWITCH_INTERVAL_S } from "./stressRuns";

/** "With race stress on": the interval of --stress, at which a rare interleaving becomes likely. */
export { STRESS_SWITCH_INTERVAL_S };
export const STRESS_LABEL = "stress (switch interval 1 \u00b5s)";

export class VariantError extends Error {}

/** "1 ms", "20 ms", "1 µs": a switch interval the way a lab talks about it. */
export function switchIntervalText(seconds: number): string {
  if (seconds >= 1) return `${+seconds.toPrecision(3)} s`;
  if (seconds >= 1e-3) return `${+(seconds * 1e3).toPrecision(3)} ms`;
  return `${+(seconds * 1e6).toPrecision(3)} \u00b5s`;
}

/** The label of a variant that has none: what it changes, e.g. "Python 3.9.18, switch interval 1 ms". */
export function variantLabel(v: Omit<Variant, "label">, python: PythonInstall | null): string {
  if (v.switchIntervalS === STRESS_SWITCH_INTERVAL_S && !v.python) return STRESS_LABEL;
  const parts: string[] = [];
  if (v.python) parts.push(python ? `Python ${python.version}${python.freeThreaded ? " free-threaded" : ""}` : v.python);
  if (v.switchIntervalS !== undefined) {
    parts.push(v.switchIntervalS === STRESS_SWITCH_INTERVAL_S ? STRESS_LABEL : `switch interval ${switchIntervalText(v.switchIntervalS)}`);
  }
  return parts.length > 0 ? parts.join(", ") : "default settings";
}

/**
 * One --variant value: comma-separated `switch=SECONDS`, `python=PATH`, `label=TEXT`, or the word
 * `stress` (switch interval 1 µs). The label is left empty when not given (see variantLabel).
 */
export function parseVariant(spec: string): Variant {
  const v: Variant = { label: "" };
  for (const part of spec.split(",").map((p) => p.trim()).filter(Boolean)) {
    if (part === "stress") {
      v.switchIntervalS = STRESS_SWITCH_INTERVAL_S;
      continue;
    }
    const eq = part.indexOf("=");
    if (eq < 0) throw new VariantError(`variant "${spec}": "${part}" is not key=value (switch=, python=, label=) nor "stress"`);
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === "switch") {
      const n = Number(value);
      if (!value || !Number.isFinite(n) || n <= 0) throw new VariantError(`variant "${spec}": switch needs a positive number of seconds, not "${value}"`);
      v.switchIntervalS = n;
    } else if (key === "python") {
      if (!value) throw new VariantError(`variant "${spec}": python needs a path`);
      v.python = value;
    } else if (key === "label") v.label = value;
    else throw new VariantError(`variant "${spec}": unknown key "${key}" (switch=, python=, label=, stress)`);
  }
  return v;
}

export interface VariantRun {
  run: ComparedRun;
  model: TraceModel;
  result: RunResult;
}

export interface CompareOptions {
  script: string;
  args?: string[];
  cwd?: string;
  variants: Variant[];
  /** The interpreter of variants that name none. */
  defaultPython: string;
  timeoutS?: number;
  races?: boolean;
  scope?: string[];
  signal?: AbortSignal;
  /** Called before each run starts (for progress). */
  onRunStart?: (index: number, variant: Variant) => void;
  onStdout?: (data: Buffer, index: number) => void;
  onStderr?: (data: Buffer, index: number) => void;
  /** Where each run's trace goes; default: a temporary file removed after the run. */
  tracePath?: (index: number) => string;
}

/**
 * Runs the script once per variant, one after the other (runs side by side would share two cores
 * and distort each other's timings). Stops early when the signal aborts: the runs done so far
 * come back, the aborted one included with its partial trace.
 */
export async function runVariants(o: CompareOptions): Promise<VariantRun[]> {
  const out: VariantRun[] = [];
  for (let i = 0; i < o.variants.length && !o.signal?.aborted; i++) {
    const variant = o.variants[i];
    o.onRunStart?.(i, variant);
    const python = variant.python ?? o.defaultPython;
    const tempDir = o.tracePath ? null : mkdtempSync(join(tmpdir(), "gil-compare-"));
    let stdout = "";
    const options: RunOptions = {
      python,
      script: o.script,
      args: o.args,
      cwd: o.cwd,
      out: o.tracePath ? o.tracePath(i) : join(tempDir ?? "", "run.trace"),
      switchInterval: variant.switchIntervalS,
      timeoutS: o.timeoutS,
      races: o.races,
      scope: o.scope,
      signal: o.signal,
      onStdout: (d) => {
        stdout += d.toString("utf8");
        o.onStdout?.(d, i);
      },
      onStderr: (d) => o.onStderr?.(d, i),
    };
    let result: RunResult;
    try {
      result = await runTracer(options);
    } finally {
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    }
    // Only a run that left no trace needs the version from elsewhere (a process start).
    const summary = runSummary(result, { executable: python, version: result.model.processes.length > 0 ? "" : (probePython(python)?.version ?? "") });
    out.push({ run: { variant, summary, stdout, exitCode: result.exitCode }, model: result.model, result });
  }
  return out;
}
