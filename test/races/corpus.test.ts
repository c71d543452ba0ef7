// Recall and precision of the race analysis over the labelled corpus, on real traces: the real
// tracer in race mode on the oldest and the newest CPython found, the real decoder and model.
import { describe, expect, it } from "vitest";
import { testPythons } from "../helpers/pythons";
import { corpusScripts, score, traceScript, type ScriptOutcome } from "./corpus";

const scripts = corpusScripts();

describe("race corpus", () => {
  it("has at least 30 labelled scripts, racy and race-free", () => {
    expect(scripts.length).toBeGreaterThanOrEqual(30);
    expect(scripts.filter((s) => s.expected.length > 0).length).toBeGreaterThanOrEqual(15);
    expect(scripts.filter((s) => s.expected.length === 0).length).toBeGreaterThanOrEqual(15);
  });

  const all = testPythons();
  // Oldest and newest by default (a 2-core machine); GIL_RACE_CORPUS_ALL=1 runs every CPython found.
  const targets = process.env.GIL_RACE_CORPUS_ALL ? all : [all[0], all[all.length - 1]];
  for (const py of targets) {
    it(`finds the labelled races on ${py.version} with recall and precision >= 95%`, async () => {
      const outcomes: ScriptOutcome[] = [];
      // Two at a time: the machine has two cores and other suites run too.
      for (let i = 0; i < scripts.length; i += 2) {
        outcomes.push(...(await Promise.all(scripts.slice(i, i + 2).map((s) => traceScript(py.executable, s)))));
      }
      const s = score(outcomes);
      console.log(
        `race corpus on ${py.version}: recall ${(s.recall * 100).toFixed(1)}% precision ${(s.precision * 100).toFixed(1)}% ` +
          `(tp ${s.tp}, fp ${s.fp}, fn ${s.fn})\n  ${s.lines.join("\n  ")}`,
      );
      for (const o of outcomes) expect({ script: o.script.name, exit: o.exitCode }).toEqual({ script: o.script.name, exit: 0 });
      expect(s.recall).toBeGreaterThanOrEqual(0.95);
      expect(s.precision).toBeGreaterThanOrEqual(0.95);
    }, 300_000);
  }
});
