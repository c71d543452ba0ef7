// The CLI on a real deadlock: --timeout stops the run, the message names the cycle, the exit code
// is not zero, and the JSON summary (schema-valid) carries deadlocks[]. Newest CPython found.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { describe, expect, it } from "vitest";
import { testPythons } from "../helpers/pythons";
import { cli } from "./cliRun";

const schema = JSON.parse(readFileSync(resolve(__dirname, "../../docs/summary-schema.json"), "utf8"));
const validate = new Ajv2020({ allErrors: true }).compile(schema);
const FIXTURES = resolve(__dirname, "../trace/fixtures/deadlocks");
const newest = testPythons()[testPythons().length - 1];

describe("gil-timeline trace on a deadlock", () => {
  it("stopped at --timeout: non-zero exit, the cycle in the message and in deadlocks[]", async () => {
    const r = await cli(["trace", "--python", newest.executable, "--timeout", "3", "--json", "-", `${FIXTURES}/two_locks_forever.py`]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("timed out after 3 s; the process tree was killed: the program was stuck in a deadlock");
    expect(r.stderr).toMatch(/Deadlock: worker-\d holds lock_\w \(line 11\) and waits for lock_\w \(line 13\); worker-\d holds lock_\w \(line 11\) and waits for lock_\w \(line 13\) \(until the run was stopped\)/);
    const summary = JSON.parse(r.stdout);
    expect(validate(summary), JSON.stringify(validate.errors)).toBe(true);
    expect(summary.deadlocks).toHaveLength(1);
    expect(summary.deadlocks[0].brokenByTimeout).toBe(false);
  }, 60_000);

  it("example 09: the deadlock broken by an acquire timeout is reported, the exit code is the script's", async () => {
    const r = await cli(["trace", "--python", newest.executable, "--no-races", "--json", "-", resolve(__dirname, "../../examples/09_deadlock_two_locks.py")]);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain("gil-timeline: timed out");
    expect(r.stderr).toMatch(/Deadlock: (left|right) holds lock_\w .* \(broken after [\d.]+ (s|ms) when an acquire timed out\)/);
    const summary = JSON.parse(r.stdout);
    expect(validate(summary), JSON.stringify(validate.errors)).toBe(true);
    expect(summary.deadlocks.map((d: { brokenByTimeout: boolean }) => d.brokenByTimeout)).toEqual([true]);
  }, 60_000);
});
