// A plain `gil-timeline trace` run for real: --switch-interval reaching the program, the readable
// summary's GIL share agreeing with --json, and every process of a multiprocessing lab with its
// parent, on the oldest and newest CPython found.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { beforeAll, describe, expect, it } from "vitest";
import { decodeTrace } from "../../src/trace/decode";
import { Rec } from "../../src/trace/records";
import type { TraceSummary } from "../../src/trace/summary";
import { testPythons } from "../helpers/pythons";
import { buildCli, cli } from "./cliRun";

const FIX = resolve(__dirname, "fixtures");
const EXAMPLES = resolve(__dirname, "../../examples");
const schema = JSON.parse(readFileSync(resolve(__dirname, "../../docs/summary-schema.json"), "utf8")) as object;
const validate = new Ajv2020({ allErrors: true }).compile(schema);
const all = testPythons();

beforeAll(() => buildCli());

/** Runs `trace --json FILE --out FILE` and returns the summary (schema-checked), the text and the trace. */
async function traced(python: string, extra: string[], script: string) {
  const dir = mkdtempSync(join(tmpdir(), "gil-cli-opts-"));
  const json = join(dir, "s.json");
  const out = join(dir, "t.trace");
  const r = await cli(["trace", "--python", python, ...extra, "--out", out, "--json", json, script]);
  expect(r.code, r.stderr).toBe(0);
  const summary = JSON.parse(readFileSync(json, "utf8")) as TraceSummary;
  expect(validate(summary), JSON.stringify(validate.errors)).toBe(true);
  return { r, summary, store: decodeTrace(new Uint8Array(readFileSync(out))) };
}

describe.each([all[0], all[all.length - 1]].map((p) => [p.version, p.executable]))("gil-timeline trace on CPython %s", (_version, python) => {
  it("--switch-interval 0.002 reaches the program: its own getswitchinterval(), the trace header, --json and the text", async () => {
    const { r, summary, store } = await traced(python, ["--switch-interval", "0.002"], join(FIX, "switch_interval.py"));
    expect(r.stdout).toBe("switch interval 0.002\n");
    expect(store.processes[0].header.switchIntervalS).toBe(0.002);
    expect(summary.python.switchIntervalS).toBe(0.002);
    expect(r.stderr).toContain("switch interval 2 ms");
    // Without the option the program keeps CPython's default.
    const plain = await traced(python, [], join(FIX, "switch_interval.py"));
    expect(plain.r.stdout).toBe("switch interval 0.005\n");
    expect(plain.summary.python.switchIntervalS).toBe(0.005);
  });

  it("the readable summary's GIL share column is each thread's --json gilShare, runningMs / the process's duration", async () => {
    const { r, summary } = await traced(python, ["--no-races"], join(EXAMPLES, "02_cpu_bound_threads.py"));
    const [proc] = summary.processes;
    expect(proc.threads).toHaveLength(5);
    const lines = r.stderr.split("\n");
    const header = lines.findIndex((l) => /^\s+#\s+thread\s+GIL share\s+running/.test(l));
    expect(header, r.stderr).toBeGreaterThan(0);
    // "  1  cpu-0 → worker (line 24)      23.4%  426.5 ms ..." : index and share per row.
    const shown = new Map<number, string>();
    for (const line of lines.slice(header + 1, header + 1 + proc.threads.length)) {
      const m = /^\s+(\d+)\s+.+?\s(\d+\.\d)%\s/.exec(line);
      expect(m, line).not.toBeNull();
      if (m) shown.set(Number(m[1]), m[2]);
    }
    let total = 0;
    for (const t of proc.threads) {
      expect(shown.get(t.index), t.name).toBe((t.gilShare * 100).toFixed(1));
      expect(t.gilShare).toBeCloseTo(t.runningMs / proc.durationMs, 3);
      total += t.gilShare;
    }
    // One GIL: the shares of one process add up to at most the whole run (4 decimals each, rounded).
    expect(total).toBeLessThanOrEqual(1 + 0.0001 * proc.threads.length);
    // CPU-bound workers hold it for most of it.
    expect(proc.threads.filter((t) => t.index !== 0).reduce((n, t) => n + t.gilShare, 0)).toBeGreaterThan(0.5);
  });

  it("multiprocessing lab 06: processes[] has the parent and its 4 children, each child's parentPid the parent's pid", async () => {
    const { r, summary, store } = await traced(python, [], join(EXAMPLES, "06_processes_cpu.py"));
    expect(r.stdout).toBe("exit codes: [0, 0, 0, 0]\n");
    const pids = summary.processes.map((p) => p.pid);
    expect(new Set(pids).size).toBe(5);
    const parent = summary.processes.find((p) => !pids.includes(p.parentPid ?? -1));
    expect(parent?.parentPid).toEqual(expect.any(Number)); // the CLI's own process
    const children = summary.processes.filter((p) => p !== parent);
    expect(children).toHaveLength(4);
    for (const c of children) {
      expect(c.parentPid).toBe(parent?.pid);
      expect(c.exitCode).toBe(0);
    }
    // The trace agrees: the parent's PROCESS_SPAWN records name exactly these children.
    const parentProc = store.processes.findIndex((p) => p.pid === parent?.pid);
    const spawned: number[] = [];
    for (let i = 0; i < store.count; i++) if (store.proc[i] === parentProc && store.kind[i] === Rec.PROCESS_SPAWN) spawned.push(store.a[i]);
    expect(spawned.sort()).toEqual(children.map((c) => c.pid).sort());
  });
});
