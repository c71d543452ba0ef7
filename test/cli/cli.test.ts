// The gil-timeline CLI, run for real on the oldest and newest CPython found.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { beforeAll, describe, expect, it } from "vitest";
import { testPythons } from "../helpers/pythons";
import { buildCli, cli } from "./cliRun";

const FIX = resolve(__dirname, "fixtures");
const EXAMPLES = resolve(__dirname, "../../examples");
const schema = JSON.parse(readFileSync(resolve(__dirname, "../../docs/summary-schema.json"), "utf8"));
const validate = new Ajv2020({ allErrors: true }).compile(schema);
const all = testPythons();

function valid(doc: unknown): boolean {
  const ok = validate(doc);
  if (!ok) console.error(validate.errors);
  return ok;
}

beforeAll(() => buildCli());

describe.each([all[0], all[all.length - 1]].map((p) => [p.version, p.executable]))("gil-timeline on CPython %s", (version, python) => {
  const dir = mkdtempSync(join(tmpdir(), "gil-cli-test-"));

  it("passes the script's exit code, stdout and stderr through", async () => {
    const r = await cli(["trace", "--python", python, `${FIX}/exit_code.py`, "7"]);
    expect(r.code).toBe(7);
    expect(r.stdout).toBe("to stdout\n");
    expect(r.stderr.startsWith("to stderr\n")).toBe(true);
    expect(r.stderr).toContain(`Python ${version}`);
    expect((await cli(["trace", "--python", python, `${FIX}/exit_code.py`, "0"])).code).toBe(0);
  });

  it("writes a schema-valid --json whose saved-trace summary is identical", async () => {
    const out = join(dir, "counter.trace");
    const json = join(dir, "live.json");
    const r = await cli(["trace", "--python", python, "--out", out, "--json", json, `${EXAMPLES}/03_counter_race.py`]);
    expect(r.code).toBe(0);
    const live = JSON.parse(readFileSync(json, "utf8"));
    expect(valid(live)).toBe(true);
    expect(live.python.version).toBe(version);
    expect(live.script).toMatchObject({ path: `${EXAMPLES}/03_counter_race.py`, exitCode: 0, error: null });
    expect(live.processes[0].threads.length).toBeGreaterThanOrEqual(5);
    expect(live.trace.events).toBeGreaterThan(0);
    // Each thread's mean GIL slice is its running time over its slices; the counting threads ran.
    const threads: { name: string; runningMs: number; slices: number; meanSliceMs: number | null }[] = live.processes[0].threads;
    for (const t of threads) {
      if (t.slices === 0) expect(t.meanSliceMs).toBeNull();
      else expect(t.meanSliceMs).toBeCloseTo(t.runningMs / t.slices, 2);
    }
    expect(threads.filter((t) => t.meanSliceMs !== null && t.meanSliceMs > 0).length).toBeGreaterThanOrEqual(5);
    const saved = await cli(["summary", out, "--json", "-"]);
    expect(saved.code).toBe(0);
    expect(JSON.parse(saved.stdout)).toEqual(live);
    expect(saved.stderr).toContain("Handoffs:");
  });

  it("reports a SyntaxError in script.error with its line", async () => {
    const r = await cli(["trace", "--python", python, "--json", "-", `${FIX}/syntax_error.py`]);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(valid(doc)).toBe(true);
    expect(doc.script.error).toMatchObject({ type: "SyntaxError", line: 4 });
    expect(doc.script.error.file).toMatch(/syntax_error\.py$/);
    expect(doc.script.exitCode).toBe(1);
  });

  it("--timeout kills a never-ending script and still prints a partial summary", async () => {
    const json = join(dir, "forever.json");
    const r = await cli(["trace", "--python", python, "--timeout", "2", "--no-races", "--json", json, `${FIX}/forever.py`]);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe("started\n");
    expect(r.stderr).toMatch(/timed out after 2 s/);
    expect(r.stderr).toContain("spinner");
    const doc = JSON.parse(readFileSync(json, "utf8"));
    expect(valid(doc)).toBe(true);
    expect(doc.trace.events).toBeGreaterThan(0);
    expect(doc.script).toMatchObject({ exitCode: null, signal: 15 });
    expect(doc.processes[0].threads.map((t: { name: string }) => t.name)).toContain("spinner");
  });

  it("runs -m modules and passes stdin through", async () => {
    const m = await cli(["trace", "--python", python, "-m", "pkg", "a", "--b"], { cwd: FIX });
    expect(m.code).toBe(0);
    expect(m.stdout).toBe("module args ['a', '--b']\n");
    const s = await cli(["trace", "--python", python, `${FIX}/echo_stdin.py`], { stdin: "hello\n" });
    expect(s.stdout).toBe("got olleh\n");
  });
});

describe("gil-timeline usage", () => {
  it("explains bad arguments and unreadable traces", async () => {
    expect((await cli(["--help"])).stdout).toContain("gil-timeline trace");
    const bad = await cli(["trace", "--timeout", "soon", "x.py"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--timeout needs a positive number");
    const notTrace = await cli(["summary", `${FIX}/exit_code.py`]);
    expect(notTrace.stderr).toMatch(/decoding stopped at byte 0 \(corrupt\)/);
    expect(notTrace.code).toBe(1);
    const missing = await cli(["trace", "--python", "/nonexistent/python3", "x.py"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("cannot run /nonexistent/python3");
  });
});
