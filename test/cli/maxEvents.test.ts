// gil-timeline trace --max-events, run for real (newest CPython): the limit reaches the tracer, and
// the readable summary and the JSON say what was dropped and where.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { describe, expect, it } from "vitest";
import { testPythons } from "../helpers/pythons";
import { cli } from "./cliRun";

const all = testPythons();
const newest = all[all.length - 1].executable;
const LONG = resolve(__dirname, "../tracer/fixtures/long_race.py");
const schema = JSON.parse(readFileSync(resolve(__dirname, "../../docs/summary-schema.json"), "utf8"));
const validate = new Ajv2020({ allErrors: true }).compile(schema);

describe("gil-timeline trace --max-events", () => {
  it("passes the limit to the tracer; the text and the JSON show the gap", async () => {
    const json = join(mkdtempSync(join(tmpdir(), "gil-cli-max-")), "s.json");
    const r = await cli(["trace", "--python", newest, "--json", json, "--max-events", "2000", LONG]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(readFileSync(json, "utf8"));
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.trace.gaps).toHaveLength(1);
    const gap = doc.trace.gaps[0];
    expect(gap.limit).toBe(2000);
    expect(doc.trace.dropped).toBe(gap.dropped);
    expect(doc.trace.events).toBeLessThan(2000 + 10); // kept records plus the diagnostics
    expect(r.stderr).toContain(`gap in process ${gap.pid}: ${gap.dropped} events dropped (limit 2000)`);
  }, 60_000);

  it("refuses a limit that is not a whole positive number", async () => {
    for (const bad of ["0", "-5", "1.5", "many"]) {
      const r = await cli(["trace", "--max-events", bad, LONG]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`--max-events needs a whole number of events, not "${bad}"`);
    }
  }, 60_000);
});
