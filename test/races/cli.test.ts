// The CLI's race options, run for real on the newest CPython found: `--fail-on-race` turns a race
// point into exit code 1 (lab grading), `--no-races` records none, and the summary prints the
// interleaving and the fix.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { describe, expect, it } from "vitest";
import { testPythons } from "../helpers/pythons";
import { cli } from "../cli/cliRun";

const CORPUS = resolve(__dirname, "../corpus");
const all = testPythons();
const python = all[all.length - 1].executable;

describe("gil-timeline trace race options", () => {
  it("--fail-on-race exits 1 on a racy script and prints the race point", async () => {
    const r = await cli(["trace", "--fail-on-race", "--python", python, `${CORPUS}/r02_sleep_rmw.py`]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/counter: (lost-update|unsynchronized) .*can happen without the tracer on this Python: yes\)/);
    expect(r.stderr).toMatch(/the call to `time\.sleep\(\)` \(line 13\)/);
    expect(r.stderr).toMatch(/T\d LOAD_GLOBAL counter +r02_sleep_rmw\.py:12/);
    expect(r.stderr).toContain("fix: create `counter_lock = threading.Lock()` and guard lines 12-14 with `with counter_lock:`");
  });

  it("--fail-on-race keeps the script's exit code when there is no race, and --no-races records none", async () => {
    const clean = await cli(["trace", "--fail-on-race", "--python", python, `${CORPUS}/f01_lock_counter.py`]);
    expect(clean.code).toBe(0);
    expect(clean.stderr).not.toContain("Race points");
    const off = await cli(["trace", "--no-races", "--fail-on-race", "--json", "-", "--python", python, `${CORPUS}/r01_global_counter.py`]);
    expect(off.code).toBe(0);
    expect((JSON.parse(off.stdout) as { races: unknown[] }).races).toEqual([]);
  });
});

describe("--json races[]", () => {
  it("is valid against docs/summary-schema.json with its accesses and interleaving", async () => {
    const schema = JSON.parse(readFileSync(resolve(__dirname, "../../docs/summary-schema.json"), "utf8")) as object;
    const validate = new Ajv2020({ allErrors: true }).compile(schema);
    const r = await cli(["trace", "--json", "-", "--python", python, `${CORPUS}/r03_attribute_balance.py`]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { races: { variable: string; accesses: { instruction: string }[] }[] };
    expect(validate(doc) ? [] : validate.errors).toEqual([]);
    expect(doc.races.map((x) => x.variable)).toEqual(["self.balance"]);
    expect(doc.races[0].accesses.map((a) => a.instruction)).toContain("STORE_ATTR");
  });

  it("gives accesses and interleaving steps their short stacks, and the text names the callers", async () => {
    const schema = JSON.parse(readFileSync(resolve(__dirname, "../../docs/summary-schema.json"), "utf8")) as object;
    const validate = new Ajv2020({ allErrors: true }).compile(schema);
    const script = resolve(__dirname, "../tracer/fixtures/call_chain.py");
    const r = await cli(["trace", "--json", "-", "--python", python, script]);
    expect(r.code).toBe(0);
    type Frame = { function: string; line: number };
    const doc = JSON.parse(r.stdout) as { races: { variable: string; accesses: { stack: Frame[] }[]; interleaving: { stack?: Frame[] }[] }[] };
    expect(validate(doc) ? [] : validate.errors).toEqual([]);
    const race = doc.races.find((x) => x.variable === "total");
    const chains = new Set(race?.accesses.map((a) => a.stack.map((f) => `${f.function}:${f.line}`).join(" < ")));
    expect(chains.has("via_helper:14 < worker:18")).toBe(true);
    expect(race?.interleaving.every((s) => (s.stack ?? []).length > 0)).toBe(true);
    const text = await cli(["trace", "--python", python, script]);
    expect(text.stderr).toMatch(/called from (via_helper \(call_chain\.py:14\) < worker \(call_chain\.py:18\)|worker \(call_chain\.py:19\))/);
  });
});
