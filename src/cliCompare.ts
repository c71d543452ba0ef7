// `gil-timeline compare`: runs one script once per --variant and prints the table of differences
// (src/trace/compare.ts). The table (or the JSON) is stdout; the scripts' own output goes to stderr.
import { writeFileSync } from "node:fs";
import { UsageError } from "./cliArgs";
import { chooseInterpreter } from "./run/interpreter";
import { probePython } from "./run/pythons";
import { parseVariant, runVariants, VariantError, variantLabel } from "./run/variants";
import { compareRuns, comparisonText, type Comparison, type Variant } from "./trace/compare";
import type { TraceSummary } from "./trace/summary";

export const COMPARE_USAGE = `  gil-timeline compare [options] --variant SPEC --variant SPEC [...] script.py [args...]

compare options (the script runs once per --variant, one run after the other):
  --variant SPEC           comma-separated settings of one run: switch=SECONDS, python=PATH,
                           label=TEXT, or stress (switch interval 1 µs); at least two variants,
                           e.g. --variant switch=0.001 --variant switch=0.02
                                --variant python=/usr/bin/python3.9 --variant python=/usr/bin/python3.12
  --python PATH            interpreter of the variants that name none (default: python3, then python)
  --json FILE              write the comparison as JSON (labels, rows, each run's summary); "-" for stdout
  --timeout S              kill a run's process tree after S seconds
  --no-races               do not record shared-state accesses
The table goes to stdout, the scripts' output to stderr; the exit code is 0 when every run exited 0, else 1.
`;

export interface CompareArgs {
  variants: Variant[];
  python?: string;
  json?: string;
  timeoutS?: number;
  races: boolean;
  script: string;
  args: string[];
}

export function parseCompareArgs(rest: string[]): CompareArgs | "help" {
  const out: Omit<CompareArgs, "script"> & { script?: string } = { variants: [], races: true, args: [] };
  let i = 0;
  const value = (name: string): string => {
    const v = rest[++i];
    if (v === undefined) throw new UsageError(`${name} needs a value`);
    return v;
  };
  for (; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === "--help" || arg === "-h") return "help";
    if (arg === "--") {
      i++;
      break;
    }
    if (arg === "--variant") {
      try {
        out.variants.push(parseVariant(value(arg)));
      } catch (e) {
        throw e instanceof VariantError ? new UsageError(e.message) : e;
      }
    } else if (arg === "--python") out.python = value(arg);
    else if (arg === "--json") out.json = value(arg);
    else if (arg === "--timeout") {
      const n = Number(value(arg));
      if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--timeout needs a positive number of seconds, not "${rest[i]}"`);
      out.timeoutS = n;
    } else if (arg === "--no-races") out.races = false;
    else if (arg.startsWith("-")) throw new UsageError(`unknown compare option ${arg}`);
    else break;
  }
  if (i >= rest.length) throw new UsageError("compare needs a script");
  if (out.variants.length < 2) throw new UsageError(`compare needs two --variant options or more, not ${out.variants.length}`);
  return { ...out, script: rest[i], args: rest.slice(i + 1) };
}

/** The JSON document of --json: the table, and each run's full summary for graders. */
export interface ComparisonJson extends Comparison {
  runs: { label: string; python: string | null; switchIntervalS: number | null; exitCode: number | null; summary: TraceSummary }[];
}

export async function compareCommand(rest: string[]): Promise<number> {
  const parsed = parseCompareArgs(rest);
  if (parsed === "help") {
    process.stdout.write(`usage:\n${COMPARE_USAGE}`);
    return 0;
  }
  const defaultPython = chooseInterpreter(parsed.python).executable;
  const variants = parsed.variants.map((v) => ({ ...v, label: v.label || defaultLabel(v) }));
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.on("SIGINT", onSigint);
  let runs: Awaited<ReturnType<typeof runVariants>>;
  try {
    runs = await runVariants({
      script: parsed.script,
      args: parsed.args,
      variants,
      defaultPython,
      timeoutS: parsed.timeoutS,
      races: parsed.races ? undefined : false,
      signal: abort.signal,
      onRunStart: (i, v) => process.stderr.write(`\n── run ${i + 1}/${variants.length}: ${v.label} ──\n`),
      onStdout: (d) => process.stderr.write(d),
      onStderr: (d) => process.stderr.write(d),
    });
  } finally {
    process.off("SIGINT", onSigint);
  }
  if (runs.length < 2) {
    process.stderr.write("gil-timeline: cancelled before two runs finished\n");
    return 130;
  }
  const comparison = compareRuns(runs.map((r) => r.run));
  const json = parsed.json;
  if (json !== "-") process.stdout.write(`\n${comparisonText(comparison)}`);
  if (json !== undefined) {
    const doc: ComparisonJson = {
      ...comparison,
      runs: runs.map(({ run }) => ({
        label: run.variant.label,
        python: run.variant.python ?? defaultPython,
        switchIntervalS: run.variant.switchIntervalS ?? null,
        exitCode: run.exitCode,
        summary: run.summary,
      })),
    };
    const text = JSON.stringify(doc, null, 2) + "\n";
    if (json === "-") process.stdout.write(text);
    else writeFileSync(json, text);
  }
  return runs.every((r) => r.run.exitCode === 0) ? 0 : 1;
}

/** A variant's name from what it changes; naming an interpreter costs a process start for its version. */
function defaultLabel(v: Variant): string {
  return variantLabel(v, v.python ? probePython(v.python) : null);
}
