// The stress aggregation on hand-made runs: what counts once per run, what keys a race point,
// and the order of the lists (the real runs are in test/cli/stress.test.ts).
import { describe, expect, it } from "vitest";
import { stressReport, stressText, type StressRun } from "../../src/trace/stress";
import type { RacePoint } from "../../src/trace/types";

function race(variable: string, kind: RacePoint["kind"], lines: [op: "read" | "write", line: number][], possibleUntraced = true, explanation = ""): RacePoint {
  return {
    variable,
    kind,
    count: 1,
    possibleUntraced,
    explanation,
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
      { variable: "counter", file: "/lab/x.py", line: 23, kind: "lost-update", runs: 2, possibleUntraced: true, explanation: "" },
      { variable: "flag", file: "/lab/x.py", line: 9, kind: "unsynchronized", runs: 1, possibleUntraced: true, explanation: "" },
      { variable: "counter", file: "/lab/x.py", line: 23, kind: "unsynchronized", runs: 1, possibleUntraced: true, explanation: "" },
    ]);
    expect(r.truncatedRuns).toBe(1);
    expect(stressText(r)).toMatch(/counter \(lost-update\) at x\.py:23: in 2 of 3 runs/);
    expect(stressText(r)).toMatch(/1 run left an incomplete trace/);
  });

  it("a race point only the tracer caused says so; one run that could race untraced makes it the program's", () => {
    const traced = (line: number) => race("counter", "lost-update", [["read", line], ["write", line]], false, "Safe by accident on 3.12");
    const untraced = race("counter", "lost-update", [["read", 30], ["write", 30]], true, "Can lose updates on 3.12 without the tracer");
    const r = stressReport([run("", [traced(24)]), run("", [traced(24), traced(30)]), run("", [untraced])], 1e-6);
    expect(r.racePoints.map((p) => [p.line, p.runs, p.possibleUntraced, p.explanation])).toEqual([
      [24, 2, false, "Safe by accident on 3.12"],
      [30, 2, true, "Can lose updates on 3.12 without the tracer"],
    ]);
    const text = stressText(r);
    expect(text).toContain(
      "  counter (lost-update) at x.py:24: in 2 of 3 runs\n    can happen without the tracer on this Python: no, only under the tracer",
    );
    expect(text).toContain("    Safe by accident on 3.12\n");
    expect(text).toContain("  counter (lost-update) at x.py:30: in 2 of 3 runs\n    can happen without the tracer on this Python: yes\n");
  });

  it("no runs: nothing differs, nothing found", () => {
    const r = stressReport([], 0.005);
    expect(r).toEqual({ runs: 0, switchIntervalS: 0.005, differingRuns: 0, truncatedRuns: 0, outputs: [], racePoints: [] });
    expect(stressText(r)).toContain("at switch interval 0.005 s");
  });
});
