// Issue 7: the code lens of a process target counts only the processes that ran it. A real run of a
// script with two Process targets, a Process subclass, a Pool and a ProcessPoolExecutor, fork and
// spawn, on the oldest and newest CPython: each child's process chunk names its target (and a pool
// worker's tasks), the model carries them, and every lens matches its own processes.
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { lensTarget } from "../../src/editor/lensText";
import { scanThreadTargets, type TargetSite } from "../../src/editor/threadTargets";
import type { ProcessInfo } from "../../src/trace/types";
import { testPythons } from "../helpers/pythons";
import { traceScript } from "./traceRun";

const SCRIPT = resolve(__dirname, "fixtures/process_targets.py");
const TARGETS = resolve(__dirname, "../../tracer/gil_timeline/targets.py");
const all = testPythons();
const pythons = [all[0], all[all.length - 1]].map((p) => [p.version, p.executable] as const);
const cases = pythons.flatMap(([version, python]) => ["fork", "spawn"].map((method) => [version, method, python] as const));

const named = (processes: ProcessInfo[], fn: string): ProcessInfo[] => processes.filter((p) => p.target?.function === fn);
const ranTask = (p: ProcessInfo, fn: string): boolean => (p.tasks ?? []).some((t) => t.function === fn && t.file === SCRIPT);

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
