// The labelled race corpus (test/corpus/*.py): each script's first line says what it should get,
// `# expect: race counter, total` or `# expect: no-race`. Scoring is per variable: a race point
// on an expected variable is a true positive, on any other variable a false positive.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runTracer } from "../../src/run/runTracer";
import type { RacePoint } from "../../src/trace/types";

export const CORPUS_DIR = join(__dirname, "..", "corpus");

export interface CorpusScript {
  name: string;
  path: string;
  expected: string[];
}

export function corpusScripts(): CorpusScript[] {
  return readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith(".py"))
    .sort()
    .map((name) => {
      const path = join(CORPUS_DIR, name);
      const first = readFileSync(path, "utf8").split("\n", 1)[0];
      const m = /^# expect: (no-race|race (.+))$/.exec(first);
      if (!m) throw new Error(`${name}: the first line must be "# expect: race <variables>" or "# expect: no-race"`);
      return { name, path, expected: m[2] ? m[2].split(",").map((v) => v.trim()) : [] };
    });
}

export interface ScriptOutcome {
  script: CorpusScript;
  races: RacePoint[];
  exitCode: number | null;
  accesses: number;
  stderr: string;
}

/** Run one script under the real tracer (race mode) and the real decoder/model. */
export async function traceScript(python: string, script: CorpusScript): Promise<ScriptOutcome> {
  const dir = mkdtempSync(join(tmpdir(), "gil-corpus-"));
  try {
    const r = await runTracer({ python, script: script.path, cwd: CORPUS_DIR, out: join(dir, "t.gtl"), timeoutS: 60 });
    let accesses = 0;
    for (let i = 0; i < r.store.count; i++) if (r.store.kind[i] === 0x50) accesses++;
    return { script, races: r.model.races, exitCode: r.exitCode, accesses, stderr: r.stderrTail };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface Score {
  tp: number;
  fp: number;
  fn: number;
  recall: number;
  precision: number;
  lines: string[];
}

export function score(outcomes: ScriptOutcome[]): Score {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const lines: string[] = [];
  for (const o of outcomes) {
    const found = new Set(o.races.map((r) => r.variable));
    const hits = o.script.expected.filter((v) => found.has(v));
    const missed = o.script.expected.filter((v) => !found.has(v));
    const extra = [...found].filter((v) => !o.script.expected.includes(v));
    tp += hits.length;
    fn += missed.length;
    fp += extra.length;
    const verdict = missed.length || extra.length ? "WRONG" : "ok";
    const detail = [missed.length ? `missed ${missed.join(", ")}` : "", extra.length ? `extra ${extra.join(", ")}` : ""]
      .filter(Boolean).join("; ");
    lines.push(`${verdict.padEnd(5)} ${o.script.name.padEnd(28)} exit ${o.exitCode} accesses ${o.accesses}${detail ? `  ${detail}` : ""}`);
  }
  return { tp, fp, fn, recall: tp + fn ? tp / (tp + fn) : 1, precision: tp + fp ? tp / (tp + fp) : 1, lines };
}
