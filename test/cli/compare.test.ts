// `gil-timeline compare`, run for real: the bundled CLI, the real tracer, every run on a real CPython.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { beforeAll, describe, expect, it } from "vitest";
import type { ComparisonJson } from "../../src/cliCompare";
import type { DiffRow } from "../../src/trace/compare";
import { testPythons } from "../helpers/pythons";
import { buildCli, cli } from "./cliRun";

const FIX = resolve(__dirname, "fixtures");
const EXAMPLES = resolve(__dirname, "../../examples");
const validate = new Ajv2020({ allErrors: true }).compile(JSON.parse(readFileSync(resolve(__dirname, "../../docs/summary-schema.json"), "utf8")));
const pythons = testPythons();
const oldest = pythons[0];
const newest = pythons[pythons.length - 1];

beforeAll(() => buildCli());

const row = (doc: ComparisonJson, key: string): DiffRow | undefined => doc.rows.find((r) => r.key === key);

describe("gil-timeline compare", () => {
  it(`--json - on 02_cpu_bound_threads at 1 ms and 20 ms (${newest.version}): the table and each run's summary`, async () => {
    const r = await cli(["compare", "--python", newest.executable, "--variant", "switch=0.001", "--variant", "switch=0.02,label=long slices", "--no-races", "--json", "-", `${EXAMPLES}/02_cpu_bound_threads.py`]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as ComparisonJson;
    expect(doc.labels).toEqual(["switch interval 1 ms", "long slices"]);
    expect(doc.runs.map((x) => x.summary.python.switchIntervalS)).toEqual([0.001, 0.02]);
    for (const run of doc.runs) expect(validate(run.summary), JSON.stringify(validate.errors)).toBe(true);
    const preempted = row(doc, "handoffs.preempted");
    expect(preempted?.numbers).toEqual(doc.runs.map((x) => x.summary.handoffs.byReason.preempted));
    expect(preempted?.differs).toBe(true);
    // The scripts' output went to stderr, once per run, after its run's heading.
    expect(r.stderr).toMatch(/run 1\/2: switch interval 1 ms[\s\S]*results: \[[\s\S]*run 2\/2: long slices[\s\S]*results: \[/);
  }, 240_000);

  it(`the table on stdout: 04_counter_sleep_race on ${oldest.version} and ${newest.version}`, async () => {
    const r = await cli(["compare", "--variant", `python=${oldest.executable}`, "--variant", `python=${newest.executable}`, `${EXAMPLES}/04_counter_sleep_race.py`]);
    expect(r.code, r.stderr).toBe(0);
    const head = r.stdout.split("\n").find((l) => l.trim().length > 0) ?? "";
    expect(head).toContain(`Python ${oldest.version}`);
    expect(head).toContain(`Python ${newest.version}`);
    expect(r.stdout).toMatch(new RegExp(`^\\* Python +${oldest.version.replace(/\./g, "\\.")} +${newest.version.replace(/\./g, "\\.")}$`, "m"));
    expect(r.stdout).toMatch(/^ {2}racing variables +.*counter.*counter/m);
  }, 240_000);

  it("exits 1 when a run fails, with its exit code in the table", async () => {
    const r = await cli(["compare", "--python", newest.executable, "--variant", "switch=0.005", "--variant", "stress", `${FIX}/exit_code.py`, "3"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/stress \(switch interval 1 \u00b5s\)/);
    expect(r.stdout).toMatch(/^ {2}exit code +3 +3$/m);
  }, 240_000);

  it("explains bad arguments", async () => {
    const one = await cli(["compare", "--variant", "switch=0.001", `${EXAMPLES}/02_cpu_bound_threads.py`]);
    expect(one.code).toBe(2);
    expect(one.stderr).toMatch(/two --variant options or more/);
    const bad = await cli(["compare", "--variant", "speed=2", "--variant", "stress", `${EXAMPLES}/02_cpu_bound_threads.py`]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown key "speed"/);
    const help = await cli(["--help"]);
    expect(help.stdout).toMatch(/gil-timeline compare/);
  }, 60_000);
});
