// The stress aggregation on hand-made runs: what counts once per run, what keys a race point,
// and the order of the lists (the real runs are in test/cli/stress.test.ts).
import { describe, expect, it } from "vitest";
import { stressReport, stressText, type StressRun } from "../../src/trace/stress";
import type { RacePoint } from "../../src/trace/types";

function race(variable: string, kind: RacePoint["kind"], lines: [op: "read" | "write", line: number][]): RacePoint {
  return {
    variable,
    kind,
    count: 1,
    possibleUntraced: true,
    explanation: "",
    fix: "",
    interleaving: [],
    accesses: lines.map(([op, line], i) => ({ thread: `1:${i + 1}`, op, instruction: op === "read" ? "LOAD_GLOBAL" : "STORE_GLOBAL", file: "/lab/x.py", line, timeMs: i })),
  };
}

const run = (stdout: string, races: RacePoint[], exitCode: number | null = 0, truncated = false): StressRun => ({ stdout, exitCode, races, truncated });

describe("stressReport", () => {
  it("counts outputs by stdout and exit code, most common first", () => {
    const r = stressReport([run("a\n", []), run("b\n", []), run("a\n", []), run("a\n", [], 1), run("b\n", [])], 1e-6);
    expect(r.outputs).toEqual([
      { stdout: "a\n", exitCode: 0, count: 2 },
      { stdout: "b\n", exitCode: 0, count: 2 },
      { stdout: "a\n", exitCode: 1, count: 1 },
    ]);
    expect(r.differingRuns).toBe(3);
    expect(stressText(r)).toContain("3 of 5 runs differ from the most common output (3 distinct outputs)");
  });

  it("keys a race point by variable, the line of its first write and kind; once per run", () => {
    const lost = race("counter", "lost-update", [["read", 21], ["write", 23]]);
    const lostAgain = race("counter", "lost-update", [["read", 21], ["read", 21], ["write", 23]]);
    const unsync = race("counter", "unsynchronized", [["write", 23], ["read", 21]]);
    const readOnly = race("flag", "unsynchronized", [["read", 9]]);
    const r = stressReport([run("", [lost, lostAgain]), run("", [unsync, readOnly]), run("", [lost], 0, true)], 1e-6);
    expect(r.racePoints).toEqual([
      { variable: "counter", file: "/lab/x.py", line: 23, kind: "lost-update", runs: 2 },
      { variable: "flag", file: "/lab/x.py", line: 9, kind: "unsynchronized", runs: 1 },
      { variable: "counter", file: "/lab/x.py", line: 23, kind: "unsynchronized", runs: 1 },
    ]);
    expect(r.truncatedRuns).toBe(1);
    expect(stressText(r)).toMatch(/counter \(lost-update\) at x\.py:23: in 2 of 3 runs/);
    expect(stressText(r)).toMatch(/1 run left an incomplete trace/);
  });

  it("no runs: nothing differs, nothing found", () => {
    const r = stressReport([], 0.005);
    expect(r).toEqual({ runs: 0, switchIntervalS: 0.005, differingRuns: 0, truncatedRuns: 0, outputs: [], racePoints: [] });
    expect(stressText(r)).toContain("at switch interval 0.005 s");
  });
});
