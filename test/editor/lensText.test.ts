// Lens text: the figures of one thread target, computed from a model built here by hand.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { formatFigures, lensTitle, targetFigures, threadedImportLine, TRACE_THREADS } from "../../src/editor/lensText";
import { scanThreadTargets, type TargetSite } from "../../src/editor/threadTargets";
import { runTracer } from "../../src/run/runTracer";
import type { Handoff, RacePoint, ThreadInfo, TraceModel } from "../../src/trace/types";
import { testPythons } from "../helpers/pythons";

const FILE = "/lab/03_counter_race.py";

function thread(index: number, name: string, fn: string | null, runningMs: number, pid = 7): ThreadInfo {
  return {
    id: `${pid}:${index}`, pid, index, nativeId: 100 + index, name,
    target: fn ? { file: FILE, line: 20, function: fn } : null,
    daemon: false, startMs: 0, endMs: 10, runningMs, waitingMs: 0, blockedMs: 0, slices: 1, exception: null,
  };
}

function handoff(from: string | null, to: string): Handoff {
  return { timeMs: 1, pid: 7, from, to, reason: "preempted", site: null };
}

function race(threadIds: string[]): RacePoint {
  return {
    variable: "counter", kind: "lost-update", count: 3, possibleUntraced: true, explanation: "",
    accesses: threadIds.map((t) => ({ thread: t, op: "write", instruction: "STORE_GLOBAL", file: FILE, line: 24, timeMs: 1 })),
    interleaving: [], fix: "",
  };
}

function model(threads: ThreadInfo[], handoffs: Handoff[], races: RacePoint[]): TraceModel {
  return {
    processes: [], threads, timelines: new Map(), handoffs, races, deadlocks: [], sites: [], durationMs: 10, events: 0,
    problem: null, warnings: [], gaps: [], dropped: 0,
  };
}

const site = (over: Partial<TargetSite>): TargetSite => ({
  kind: "def", spawns: ["thread"], apis: ["threading.Thread"], line: 20, column: 0, endLine: 22, endColumn: 0,
  function: "increment", name: "increment", targetLine: 20, callLines: [28], ...over,
});

describe("lens figures", () => {
  const m = model(
    [thread(0, "MainThread", null, 10), thread(1, "inc-0", "increment", 30), thread(2, "inc-1", "increment", 30),
      thread(3, "inc-2", "increment", 30), thread(4, "other", "other", 100, 8)],
    [handoff(null, "7:1"), handoff("7:1", "7:2"), ...Array.from({ length: 1202 }, () => handoff("7:2", "7:3")), handoff("7:0", "7:0")],
    [race(["7:1", "7:2"]), race(["8:4"])],
  );

  it("counts the target's threads, their mean GIL share, handoffs and races", () => {
    const f = targetFigures(m, site({}), FILE);
    expect(f).toEqual({ threads: ["7:1", "7:2", "7:3"], gilShare: 0.3, handoffs: 1204, races: 1 });
    expect(formatFigures(f!)).toBe("3 threads · 30% of GIL time each · 1,204 handoffs · 1 race");
    expect(formatFigures({ threads: ["a"], gilShare: 0.004, handoffs: 1, races: 2 })).toBe("1 thread · 0.4% of GIL time · 1 handoff · 2 races");
  });

  it("says 'Trace threads' before a run and when no thread of the target ran", () => {
    expect(lensTitle(site({}), FILE, null)).toBe(TRACE_THREADS);
    expect(lensTitle(site({ function: "nothing" }), FILE, m)).toBe("Trace threads (none ran in the last trace)");
    expect(lensTitle(site({ function: "increment" }), "/elsewhere.py", m)).toBe("Trace threads (none ran in the last trace)");
  });

  it("matches pool threads by name and leaves out absent races", () => {
    const pool = model([thread(1, "ThreadPoolExecutor-0_0", "_worker", 5), thread(2, "x", null, 5)], [], []);
    expect(lensTitle(site({ kind: "call", apis: ["executor.submit"], function: "work" }), FILE, pool)).toBe(
      "1 thread · 50% of GIL time · 0 handoffs",
    );
  });
});

describe("lens figures on real traces (newest CPython found)", () => {
  const python = testPythons()[testPythons().length - 1].executable;
  const targets = resolve(__dirname, "../../tracer/gil_timeline/targets.py");

  async function titles(lab: string, source?: string): Promise<string[]> {
    const script = source ? join(mkdtempSync(join(tmpdir(), "gil-lens-src-")), lab) : resolve(__dirname, "../../examples", lab);
    if (source) writeFileSync(script, source);
    const dir = mkdtempSync(join(tmpdir(), "gil-lens-"));
    const run = await runTracer({ python, script, cwd: dirname(script), out: join(dir, "t.trace"), timeoutS: 90 });
    const scan = await scanThreadTargets({ python, targetsScript: targets, file: script });
    return scan.sites.map((s) => lensTitle(s, script, run.model));
  }

  it("CPU-bound threads: each lens shows the 4 workers and their share", async () => {
    const all = await titles("02_cpu_bound_threads.py");
    expect(all.length).toBeGreaterThanOrEqual(2);
    for (const t of all) expect(t).toMatch(/^4 threads · [\d.]+% of GIL time each · [\d,]+ handoffs$/);
  });

  it("pools: executor.submit and asyncio.to_thread lenses count the pool's threads", async () => {
    const source = [
      "import asyncio",
      "from concurrent.futures import ThreadPoolExecutor",
      "def work(n):",
      "    return sum(range(n))",
      "with ThreadPoolExecutor(max_workers=2) as ex:",
      "    futures = [ex.submit(work, 200_000) for _ in range(4)]",
      "async def main():",
      "    await asyncio.to_thread(work, 1000)",
      "asyncio.run(main())",
      "",
    ].join("\n");
    const all = await titles("pools.py", source);
    const [def, submit, toThread] = all; // def work, ex.submit, asyncio.to_thread
    expect(all).toHaveLength(3);
    expect(def).toMatch(/^3 threads · [\d.]+% of GIL time each · [\d,]+ handoffs$/);
    expect(submit).toMatch(/^2 threads · [\d.]+% of GIL time each · [\d,]+ handoffs$/);
    expect(toThread).toMatch(/^1 thread · [\d.]+% of GIL time · [\d,]+ handoffs?$/);
  });

  it("a Thread subclass: the lens on run() counts its instances, a method target its own threads", async () => {
    const source = [
      "import threading",
      "class Worker(threading.Thread):",
      "    def run(self):",
      "        sum(range(100_000))",
      "class Service:",
      "    def loop(self):",
      "        sum(range(1000))",
      "    def start(self):",
      "        t = threading.Thread(",
      "            target=self.loop)",
      "        t.start()",
      "        return t",
      "workers = [Worker() for _ in range(2)]",
      "for w in workers: w.start()",
      "Service().start().join()",
      "for w in workers: w.join()",
      "",
    ].join("\n");
    const all = await titles("subclass.py", source);
    expect(all).toHaveLength(3); // Worker.run, def Service.loop, the Thread(target=self.loop) call
    expect(all[0]).toMatch(/^2 threads · [\d.]+% of GIL time each · /);
    expect(all[1]).toMatch(/^1 thread · [\d.]+% of GIL time · /);
    expect(all[2]).toBe(all[1]);
  });

  it("processes: the Process() lens shows the child processes and the shared-memory race", async () => {
    const all = await titles("07_process_value_race.py");
    expect(all.length).toBeGreaterThanOrEqual(2);
    for (const t of all) expect(t).toMatch(/^4 child processes · [\d,]+ handoffs? · 1 race$/);
  });
});

describe("threadedImportLine (the line of the no-interpreter lens)", () => {
  it("finds the first import of a threads or processes module, and nothing in other files", () => {
    expect(threadedImportLine("# lab\nimport sys\nimport threading\n")).toBe(2);
    expect(threadedImportLine("from concurrent.futures import ThreadPoolExecutor\n")).toBe(0);
    expect(threadedImportLine("import os\n    from multiprocessing import Process\n")).toBe(1);
    expect(threadedImportLine("import threadingx\nimport json\n")).toBe(-1);
    expect(threadedImportLine("# import threading would help here\nprint(1)\n")).toBe(-1);
  });
});
