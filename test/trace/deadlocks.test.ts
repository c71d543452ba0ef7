// Deadlock detection (issue 6) on real traces of the oldest and newest CPython found: a real
// deadlock stopped by the timeout, example 09 (broken by an acquire timeout), a three-thread ring,
// and programs that block on locks without any cycle (ordered locks, RLock reentry, Condition waits).
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import Ajv2020 from "ajv/dist/2020";
import { deadlockText } from "../../src/trace/deadlockText";
import { summarize } from "../../src/trace/summary";
import type { Deadlock, TraceModel } from "../../src/trace/types";
import { testPythons } from "../helpers/pythons";
import { EXAMPLES, traceScript } from "./traceRun";

const FIXTURES = `${__dirname}/fixtures/deadlocks`;
const schema = JSON.parse(readFileSync(`${__dirname}/../../docs/summary-schema.json`, "utf8"));
const validate = new Ajv2020({ allErrors: true }).compile(schema);
const all = testPythons();
const ends = all.length > 1 ? [all[0], all[all.length - 1]] : all;

/** One line per thread of the cycle: "name holds X (line n) and waits for Y (line m)". */
function cycleLines(d: Deadlock): string[] {
  return d.threads.map((t) => `${t.name} holds ${t.holds[0]?.lock.name} (line ${t.holds[0]?.acquiredAt?.line}) and waits for ${t.waitsFor?.name} (line ${t.waitsAt?.line})`);
}

/** The blocked interval of a thread that covers `ms`, if any. */
function blockedAt(model: TraceModel, thread: string, ms: number): boolean {
  const tl = model.timelines.get(thread);
  if (!tl) return false;
  for (let i = 0; i < tl.start.length; i++) if (tl.state[i] === 2 && tl.start[i] <= ms && ms <= tl.end[i]) return true;
  return false;
}

/** Processes whose command line mentions `needle` (the kill path must leave none behind). */
function processesRunning(needle: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(needle)) out.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

describe.each(ends.map((p) => [p.version, p.executable]))("deadlocks on CPython %s", (_version, python) => {
  it("a real deadlock (plain acquire in opposite order) is stopped by the timeout and named with its locks and lines", async () => {
    // A copy in a folder of its own, so the process check below sees only this run (other test files
    // run the same fixture at the same time).
    const dir = mkdtempSync(join(tmpdir(), "gt-deadlock-"));
    const script = join(dir, "two_locks_forever.py");
    copyFileSync(`${FIXTURES}/two_locks_forever.py`, script);
    const r = await traceScript(python, script, { timeoutS: 3 }).finally(() => expect(processesRunning(script)).toEqual([]));
    rmSync(dir, { recursive: true, force: true });
    expect(r.timedOut).toBe(true);
    const m = r.model;
    expect(m.deadlocks).toHaveLength(1);
    const d = m.deadlocks[0];
    expect(d.brokenByTimeout).toBe(false);
    expect(d.threads.map((t) => t.name).sort()).toEqual(["worker-1", "worker-2"]);
    // `with first:` is line 11, `with second:` line 13 (the function parameters name nothing: the
    // locks are named by the variables they were made into).
    const lines = cycleLines(d).sort();
    expect(lines).toEqual([
      "worker-1 holds lock_a (line 11) and waits for lock_b (line 13)",
      "worker-2 holds lock_b (line 11) and waits for lock_a (line 13)",
    ]);
    expect(d.threads[0].waitsFor?.madeAt?.line).toBe(d.threads[0].waitsFor?.name === "lock_a" ? 5 : 6);
    // The tracer wrote its end record at the SIGTERM; the cycle lasts to it, and both threads are blocked all along it.
    expect(m.processes[0].signal).toBe(15);
    expect(d.untilMs).toBeGreaterThan(d.sinceMs);
    for (const t of d.threads) expect(blockedAt(m, t.thread, (d.sinceMs + d.untilMs) / 2)).toBe(true);
  }, 60_000);

  it("example 09 is a deadlock broken by an acquire timeout", async () => {
    const r = await traceScript(python, `${EXAMPLES}/09_deadlock_two_locks.py`, { races: false });
    expect(r.exitCode).toBe(1);
    expect(r.model.deadlocks).toHaveLength(1);
    const d = r.model.deadlocks[0];
    expect(d.brokenByTimeout).toBe(true);
    const byName = new Map(d.threads.map((t) => [t.name, t]));
    expect(byName.get("left")?.waitsFor?.name).toBe("lock_b");
    expect(byName.get("left")?.holds.map((h) => h.lock.name)).toEqual(["lock_a"]);
    expect(byName.get("right")?.waitsFor?.name).toBe("lock_a");
    expect(byName.get("right")?.holds.map((h) => h.lock.name)).toEqual(["lock_b"]);
    expect(d.threads.every((t) => t.waitsAt?.function === "take")).toBe(true);
  }, 60_000);

  /** Traces a fixture that ends by itself and has exactly one deadlock, broken by a timeout. */
  async function oneBrokenDeadlock(script: string) {
    const r = await traceScript(python, `${FIXTURES}/${script}`, { races: false });
    expect(r.exitCode).toBe(0);
    expect(r.model.deadlocks).toHaveLength(1);
    expect(r.model.deadlocks[0].brokenByTimeout).toBe(true);
    return { model: r.model, d: r.model.deadlocks[0] };
  }

  it("three threads in a ring make one cycle of three", async () => {
    const { d } = await oneBrokenDeadlock("three_threads.py");
    expect(d.threads.map((t) => t.name).sort()).toEqual(["philosopher-0", "philosopher-1", "philosopher-2"]);
    // Each philosopher waits for the fork the next one in the cycle holds.
    d.threads.forEach((t, i) => expect(d.threads[(i + 1) % 3].holds[0].lock.name).toBe(t.waitsFor?.name));
    expect(new Set(d.threads.map((t) => t.waitsFor?.name))).toEqual(new Set(["fork_0", "fork_1", "fork_2"]));
  }, 60_000);

  it("a thread that holds a lock and joins a thread waiting for it is a cycle through a join", async () => {
    const { model, d } = await oneBrokenDeadlock("join_while_holding.py");
    const main = d.threads.find((t) => t.name === "MainThread");
    const worker = d.threads.find((t) => t.name === "worker");
    expect(main?.joins?.name).toBe("worker");
    expect(main?.waitsFor).toBeNull();
    expect(main?.holds.map((h) => h.lock.name)).toEqual(["state_lock"]);
    expect(worker?.waitsFor?.name).toBe("state_lock");
    expect(worker?.joins).toBeNull();
    // The JSON summary with a join in the cycle is schema-valid.
    expect(validate(summarize(model)), JSON.stringify(validate.errors)).toBe(true);
    expect(deadlockText(d)).toMatch(/MainThread holds state_lock \(line 16\) and waits for worker to end \(join\) \(line 19\)/);
  }, 60_000);

  it.each([
    ["ordered_locks.py", "lock"],
    ["rlock_reentry.py", "lock"],
    ["condition_wait.py", "conditionWait"],
  ])("no deadlock in %s, though threads block (%s)", async (script, kind) => {
    const r = await traceScript(python, `${FIXTURES}/${script}`, { races: false });
    expect(r.exitCode).toBe(0);
    // The threads did block as the script means to (so the absence of a cycle says something).
    const blockedKinds = r.model.threads.flatMap((t) => {
      const tl = r.model.timelines.get(t.id)!;
      return [...tl.state.keys()].filter((i) => tl.state[i] === 2).map((i) => tl.blockKind[i]);
    });
    expect(blockedKinds.length).toBeGreaterThan(0);
    expect(blockedKinds).toContain(kind === "lock" ? 2 : 7);
    expect(r.model.deadlocks).toEqual([]);
  }, 60_000);
});
