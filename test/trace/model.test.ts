// The model on real traces: the examples (and a fixture) run through the real tracer on every
// CPython found. Assertions are about structure (overlap, reasons, block kinds), never wall times.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { BLOCK_KINDS, type ThreadTimeline, type TraceModel } from "../../src/trace/types";
import { testPythons } from "../helpers/pythons";
import { EXAMPLES, traceScript } from "./traceRun";

const BLOCKED = 2;
// The tracer's own fixture: a thread named "failing" that raises RuntimeError("from a thread").
const THREAD_EXCEPTION = resolve(__dirname, "../tracer/fixtures/thread_exception.py");
const HELD_LOCK = resolve(__dirname, "fixtures/held_lock.py");
const RAISE_LINE = readFileSync(THREAD_EXCEPTION, "utf8").split("\n").findIndex((l) => l.includes("raise ")) + 1;

function blockedIntervals(tl: ThreadTimeline, kind: string): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < tl.start.length; i++) {
    if (tl.state[i] === BLOCKED && BLOCK_KINDS[tl.blockKind[i]] === kind) out.push([tl.start[i], tl.end[i]]);
  }
  return out;
}

/** The most threads blocked on `kind` at the same moment. */
function maxConcurrentlyBlocked(model: TraceModel, ids: string[], kind: string): number {
  const edges: [number, number][] = [];
  for (const id of ids) for (const [s, e] of blockedIntervals(model.timelines.get(id)!, kind)) edges.push([s, 1], [e, -1]);
  edges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let now = 0;
  let max = 0;
  for (const [, d] of edges) max = Math.max(max, (now += d));
  return max;
}

function checkIntervals(model: TraceModel): void {
  for (const [id, tl] of model.timelines) {
    for (let i = 0; i < tl.start.length; i++) {
      expect(tl.end[i], id).toBeGreaterThan(tl.start[i]);
      if (i > 0) expect(tl.start[i], id).toBeGreaterThanOrEqual(tl.end[i - 1]);
    }
  }
}

describe.each(testPythons().map((p) => [p.version, p.executable]))("real traces on CPython %s", (version, python) => {
  it("four sleeping threads are blocked in sleep at the same time", async () => {
    const r = await traceScript(python, `${EXAMPLES}/01_sleeping_threads.py`, { races: false });
    expect(r.exitCode).toBe(0);
    const m = r.model;
    expect(m.problem).toBeNull();
    expect(m.processes[0].python.version).toBe(version);
    const workers = m.threads.filter((t) => t.name.startsWith("worker-"));
    expect(workers.map((t) => t.name).sort()).toEqual(["worker-0", "worker-1", "worker-2", "worker-3"]);
    for (const w of workers) {
      expect(w.target?.function).toBe("worker");
      expect(w.target?.file).toMatch(/01_sleeping_threads\.py$/);
      expect(blockedIntervals(m.timelines.get(w.id)!, "sleep").length).toBe(4);
      expect(w.blockedMs).toBeGreaterThan(w.runningMs);
    }
    expect(maxConcurrentlyBlocked(m, workers.map((w) => w.id), "sleep")).toBe(4);
    expect(m.processes[0].handoffs.byReason.blocking).toBeGreaterThan(0);
    checkIntervals(m);
  });

  it("threads that meet a held lock are blocked on it, and the GIL passes with reason lockWait", async () => {
    const r = await traceScript(python, HELD_LOCK, { races: false });
    expect(r.exitCode).toBe(0);
    const m = r.model;
    const holders = m.threads.filter((t) => t.name.startsWith("holder-"));
    expect(holders).toHaveLength(4);
    expect(maxConcurrentlyBlocked(m, holders.map((t) => t.id), "lock")).toBeGreaterThanOrEqual(2);
    expect(m.processes[0].handoffs.byReason.lockWait).toBeGreaterThan(0);
    checkIntervals(m);
  });

  it("the locked counter lab has no race point on counter", async () => {
    // Whether its threads meet the held lock is up to the scheduler (sleep(0) lets the sleeper take
    // the GIL straight back), so this asserts only what is certain: correct, race-free, well-formed.
    const r = await traceScript(python, `${EXAMPLES}/05_counter_locked.py`);
    expect(r.exitCode).toBe(0);
    expect(r.model.threads.filter((t) => t.name.startsWith("inc-"))).toHaveLength(4);
    expect(r.model.races.filter((race) => race.variable === "counter")).toEqual([]);
    checkIntervals(r.model);
  });

  it("a thread's uncaught exception is on that thread, with its line", async () => {
    const r = await traceScript(python, THREAD_EXCEPTION, { races: false });
    expect(r.exitCode).toBe(0);
    const doomed = r.model.threads.find((t) => t.name === "failing");
    expect(doomed?.exception).toMatchObject({ type: "RuntimeError", message: "from a thread", file: THREAD_EXCEPTION, line: RAISE_LINE });
    expect(doomed?.endMs).not.toBeNull();
    expect(r.model.threads.find((t) => t.index === 0)?.exception).toBeNull();
  });
});

describe("a multiprocessing trace", () => {
  it("holds one process per worker, each with its parent and its own threads", async () => {
    const r = await traceScript(testPythons().at(-1)!.executable, `${EXAMPLES}/06_processes_cpu.py`, { races: false });
    expect(r.exitCode).toBe(0);
    const [parent, ...children] = r.model.processes;
    expect(children.length).toBeGreaterThanOrEqual(4);
    for (const c of children) {
      expect(c.parentPid).toBe(parent.pid);
      expect(c.exitCode).toBe(0);
      expect(c.threads.length).toBeGreaterThanOrEqual(1);
      expect(c.threads.every((id) => id.startsWith(`${c.pid}:`))).toBe(true);
    }
    const blocked = r.model.timelines.get(`${parent.pid}:0`)!;
    expect(Array.from(blocked.blockKind).some((k) => BLOCK_KINDS[k] === "processWait" || BLOCK_KINDS[k] === "join")).toBe(true);
  });
});
