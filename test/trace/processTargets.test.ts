// Issue 7: the code lens of a process target counts only the processes that ran it. A real run of a
// script with two Process targets, a Process subclass, a Pool and a ProcessPoolExecutor, fork and
// spawn, on the oldest and newest CPython: each child's process chunk names its target (and a pool
// worker's tasks), the model carries them, and every lens matches its own processes.
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { lensTarget } from "../../src/editor/lensText";
import { scanThreadTargets, type TargetSite } from "../../src/editor/threadTargets";
import type { ProcessInfo, ThreadInfo, TraceModel } from "../../src/trace/types";
import { testPythons } from "../helpers/pythons";
import { traceScript } from "./traceRun";

const SCRIPT = resolve(__dirname, "fixtures/process_targets.py");
const TARGETS = resolve(__dirname, "../../tracer/gil_timeline/targets.py");
const all = testPythons();
const pythons = [all[0], all[all.length - 1]].map((p) => [p.version, p.executable] as const);
const cases = pythons.flatMap(([version, python]) => ["fork", "spawn"].map((method) => [version, method, python] as const));

const named = (processes: ProcessInfo[], fn: string): ProcessInfo[] => processes.filter((p) => p.target?.function === fn);
const ranTask = (p: ProcessInfo, fn: string): boolean => (p.tasks ?? []).some((t) => t.function === fn && t.file === SCRIPT);

describe("lens matching of processes (hand-made model)", () => {
  const FILE = "/lab/p.py";
  const place = (fn: string) => ({ function: fn, file: FILE, line: 3 });
  const proc = (pid: number, target: string | null, tasks: string[] = []): ProcessInfo => ({
    pid, parentPid: pid === 1 ? null : 1, script: FILE, startMs: 0, endMs: 5, exitCode: 0, threads: [`${pid}:0`],
    python: { executable: "python3", version: "3.12.1", implementation: "cpython", gilEnabled: true, freeThreaded: false, switchIntervalS: 0.005, mechanism: "sys.monitoring" },
    handoffs: { total: pid, byReason: { blocking: pid, preempted: 0, threadExit: 0, threadStart: 0, lockWait: 0 } },
    observedSwitchIntervalMs: null, target: target ? place(target) : null, tasks: tasks.map(place),
  });
  const thread = (pid: number): ThreadInfo => ({
    id: `${pid}:0`, pid, index: 0, nativeId: pid, name: "MainThread", target: null, daemon: false, startMs: 0, endMs: 5,
    runningMs: 1, waitingMs: 0, blockedMs: 0, slices: 1, exception: null,
  });
  const pids = [1, 2, 3, 4];
  const model: TraceModel = {
    processes: [proc(1, null), proc(2, "f"), proc(3, "g"), proc(4, "worker", ["f"])],
    threads: pids.map(thread), timelines: new Map(), handoffs: [], races: [], gaps: [], dropped: 0, deadlocks: [],
    sites: [], durationMs: 5, events: 0, problem: null, warnings: [],
  };
  const site = (kind: TargetSite["kind"], fn: string, apis: string[]): TargetSite => ({
    kind, spawns: ["process"], apis, line: 3, column: 0, endLine: 3, endColumn: 0, function: fn, name: fn, targetLine: 3, callLines: [],
  });

  it("a Process call matches by target, a pool call by task, a def by either; another file by nothing", () => {
    const threadsOf = (s: TargetSite, file = FILE) => lensTarget(s, file, model).threads;
    expect(threadsOf(site("call", "f", ["multiprocessing.Process"]))).toEqual(["2:0"]);
    expect(threadsOf(site("call", "f", ["executor.map"]))).toEqual(["4:0"]);
    expect(threadsOf(site("def", "f", ["multiprocessing.Process", "executor.map"]))).toEqual(["2:0", "4:0"]);
    expect(threadsOf(site("call", "g", ["multiprocessing.Process"]))).toEqual(["3:0"]);
    expect(threadsOf(site("def", "f", ["multiprocessing.Process"]), "/elsewhere.py")).toBeNull();
    expect(lensTarget(site("def", "f", ["multiprocessing.Process"]), FILE, model).title).toBe("2 child processes · 6 handoffs");
    expect(lensTarget(site("def", "h", ["multiprocessing.Process"]), FILE, model).title).toBe("Trace threads (none ran in the last trace)");
  });
});

describe.each(cases)("process targets, Python %s, %s", (_version, method, python) => {
  it("each child names its target; each lens shows only the processes that ran its function", async () => {
    const r = await traceScript(python, SCRIPT, { args: [method], races: false });
    expect(r.exitCode).toBe(0);
    expect(r.model.problem).toBeNull();
    const [parent, ...children] = r.model.processes;
    expect(parent.target).toBeNull();
    expect(children).toHaveLength(7); // 2 alpha, 1 beta, 1 Walker, 2 Pool workers, 1 executor worker

    const alpha = named(children, "alpha");
    expect(alpha).toHaveLength(2);
    for (const p of alpha) expect(p.target).toEqual({ function: "alpha", file: SCRIPT, line: 8 });
    expect(named(children, "beta")).toHaveLength(1);
    expect(named(children, "Walker.run")).toHaveLength(1);
    const poolWorkers = named(children, "worker");
    const executorWorkers = named(children, "_process_worker");
    expect(poolWorkers).toHaveLength(2);
    expect(executorWorkers).toHaveLength(1);
    // The pool's tasks: Pool.map's mapstar and the executor's _process_chunk are unwrapped.
    const alphaWorkers = poolWorkers.filter((p) => ranTask(p, "alpha"));
    expect(alphaWorkers.length).toBeGreaterThanOrEqual(1);
    expect(poolWorkers.every((p) => (p.tasks ?? []).every((t) => t.function === "alpha"))).toBe(true);
    expect(executorWorkers[0].tasks).toEqual([{ function: "beta", file: SCRIPT, line: 12 }]);
    // Ordinary Process children run no tasks.
    for (const p of [...alpha, ...named(children, "beta")]) expect(p.tasks).toEqual([]);

    const scan = await scanThreadTargets({ python, targetsScript: TARGETS, file: SCRIPT });
    const site = (kind: TargetSite["kind"], line: number): TargetSite => {
      const found = scan.sites.find((s) => s.kind === kind && s.line === line);
      if (!found) throw new Error(`no ${kind} site on line ${line}`);
      return found;
    };
    const pidsOf = (s: TargetSite): number[] => {
      const lens = lensTarget(s, SCRIPT, r.model);
      const threads = lens.threads ?? [];
      return [...new Set(threads.map((id) => Number(id.split(":")[0])))].sort();
    };
    const sorted = (ps: ProcessInfo[]): number[] => ps.map((p) => p.pid).sort();
    expect(pidsOf(site("call", 23))).toEqual(sorted(alpha)); // Process(target=alpha)
    expect(pidsOf(site("call", 24))).toEqual(sorted(named(children, "beta"))); // Process(target=beta)
    expect(pidsOf(site("def", 17))).toEqual(sorted(named(children, "Walker.run")));
    expect(pidsOf(site("call", 31))).toEqual(sorted(alphaWorkers)); // pool.map(alpha, ...)
    expect(pidsOf(site("call", 35))).toEqual(sorted(executorWorkers)); // ex.map(beta, ...)
    expect(pidsOf(site("def", 8))).toEqual(sorted([...alpha, ...alphaWorkers]));
    expect(pidsOf(site("def", 12))).toEqual(sorted([...named(children, "beta"), ...executorWorkers]));
    expect(lensTarget(site("call", 23), SCRIPT, r.model).title).toMatch(/^2 child processes · [\d,]+ handoffs?$/);
    expect(lensTarget(site("call", 35), SCRIPT, r.model).title).toMatch(/^1 child process · [\d,]+ handoffs?$/);
  }, 180_000);
});
