// The table of differences on real runs: the real tracer through runVariants, the real model.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { testPythons } from "../helpers/pythons";
import { compareRuns, comparisonText, finalOutput, type Comparison, type DiffRow } from "../../src/trace/compare";
import { parseVariant, runVariants, STRESS_LABEL, STRESS_SWITCH_INTERVAL_S, variantLabel } from "../../src/run/variants";
import { EXAMPLES } from "./traceRun";

const pythons = testPythons();
const oldest = pythons[0];
const newest = pythons[pythons.length - 1];

function row(c: Comparison, key: string): DiffRow {
  const r = c.rows.find((x) => x.key === key);
  if (!r) throw new Error(`no row ${key} in ${c.rows.map((x) => x.key).join(", ")}`);
  return r;
}

describe("compareRuns on real traces", () => {
  it(`02_cpu_bound_threads at switch intervals 1 ms and 20 ms (${newest.version}): preempted handoffs differ a lot`, async () => {
    const runs = await runVariants({
      script: join(EXAMPLES, "02_cpu_bound_threads.py"),
      variants: [parseVariant("switch=0.001"), parseVariant("switch=0.02")].map((v) => ({ ...v, label: variantLabel(v, null) })),
      defaultPython: newest.executable,
      races: false,
      timeoutS: 120,
    });
    expect(runs.map((r) => r.result.exitCode), runs.map((r) => r.result.stderrTail).join("\n")).toEqual([0, 0]);
    const c = compareRuns(runs.map((r) => r.run));
    expect(c.labels).toEqual(["switch interval 1 ms", "switch interval 20 ms"]);
    // The tracer reports the interval the interpreter really ran with.
    expect(row(c, "switchIntervalMs").numbers).toEqual(runs.map((r) => r.model.processes[0].python.switchIntervalS * 1000));
    expect(row(c, "switchIntervalMs").differs).toBe(true);
    const preempted = row(c, "handoffs.preempted");
    const [short, long] = preempted.numbers as number[];
    expect(short).toBe(runs[0].model.processes[0].handoffs.byReason.preempted);
    expect(short, `preempted handoffs at 1 ms ${short}, at 20 ms ${long}`).toBeGreaterThan(2 * long);
    expect(preempted.differs).toBe(true);
    expect(row(c, "handoffs").differs).toBe(true);
    expect(row(c, "python").differs).toBe(false);
    // Four threads, same work: the same result and exit code under both intervals.
    expect(row(c, "output").values[0]).toMatch(/^results: \[/);
    expect(row(c, "output").differs).toBe(false);
    expect(row(c, "exitCode").differs).toBe(false);
    expect(row(c, "gilShare").values[0]).toMatch(/%/);
    const text = comparisonText(c);
    expect(text).toContain("switch interval 20 ms");
    expect(text).toMatch(/^\* \u2003preempted/m);
  }, 240_000);

  it(`04_counter_sleep_race on ${oldest.version} and ${newest.version}: the interpreter differs, the race on counter is on both`, async () => {
    const variants = [oldest, newest].map((p) => ({ python: p.executable, label: variantLabel({ python: p.executable }, p) }));
    const runs = await runVariants({ script: join(EXAMPLES, "04_counter_sleep_race.py"), variants, defaultPython: newest.executable, timeoutS: 120 });
    const c = compareRuns(runs.map((r) => r.run));
    expect(c.labels).toEqual([`Python ${oldest.version}`, `Python ${newest.version}`]);
    expect(row(c, "python").values).toEqual([oldest.version, newest.version]);
    expect(row(c, "python").differs).toBe(true);
    for (const value of row(c, "raceVariables").values) expect(value.split(", ")).toContain("counter");
    expect(row(c, "races").numbers).toEqual(runs.map((r) => r.model.races.length));
    const outputs = runs.map((r) => finalOutput(r.run.stdout));
    expect(row(c, "output").values).toEqual(outputs);
    expect(row(c, "output").differs).toBe(outputs[0] !== outputs[1]);
    // Both runs block at every sleep(0): blocking handoffs on both sides.
    for (const n of row(c, "handoffs.blocking").numbers ?? []) expect(n).toBeGreaterThan(0);
  }, 240_000);
});

describe("variants", () => {
  it("parses switch, python, label and stress", () => {
    expect(parseVariant("switch=0.001")).toEqual({ label: "", switchIntervalS: 0.001 });
    expect(parseVariant("python=/opt/py/bin/python3, switch=2e-2, label=slow")).toEqual({ label: "slow", python: "/opt/py/bin/python3", switchIntervalS: 0.02 });
    expect(parseVariant("stress").switchIntervalS).toBe(STRESS_SWITCH_INTERVAL_S);
    expect(() => parseVariant("switch=-1")).toThrow(/positive/);
    expect(() => parseVariant("speed=3")).toThrow(/unknown key/);
    expect(() => parseVariant("fast")).toThrow(/key=value/);
  });

  it("labels a variant by what it changes", () => {
    expect(variantLabel({ switchIntervalS: STRESS_SWITCH_INTERVAL_S }, null)).toBe(STRESS_LABEL);
    expect(variantLabel({ switchIntervalS: 0.005 }, null)).toBe("switch interval 5 ms");
    expect(variantLabel({ python: "/x/python3.9" }, { executable: "/x/python3.9", version: "3.9.18", major: 3, minor: 9, freeThreaded: false })).toBe("Python 3.9.18");
    expect(variantLabel({ python: "/x/python3.13t" }, { executable: "/x/python3.13t", version: "3.13.0", major: 3, minor: 13, freeThreaded: true }))
      .toBe("Python 3.13.0 free-threaded");
    expect(variantLabel({}, null)).toBe("default settings");
  });

  it("final output is the last lines, trailing blank lines ignored", () => {
    expect(finalOutput("a\nb\nc\nd\n\n")).toBe("b\nc\nd");
    expect(finalOutput("only\r\n")).toBe("only");
  });

  it("refuses a comparison of one run", () => {
    expect(() => compareRuns([])).toThrow(/two runs/);
  });
});
