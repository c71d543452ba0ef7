// The lab kit's later labs (examples/08-11) through the real tracer on the oldest and newest CPython
// found: each trace shows what the script's docstring promises. Structure only, never wall times.
import { describe, expect, it } from "vitest";
import { BLOCK_KINDS, type ThreadTimeline, type TraceModel } from "../../src/trace/types";
import { testPythons } from "../helpers/pythons";
import { EXAMPLES, traceScript } from "./traceRun";

const WAITING = 1;
const BLOCKED = 2;

function blockedIntervals(tl: ThreadTimeline, kinds: readonly string[]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < tl.start.length; i++) {
    if (tl.state[i] === BLOCKED && kinds.includes(BLOCK_KINDS[tl.blockKind[i]])) out.push([tl.start[i], tl.end[i]]);
  }
  return out;
}

/** The most of these threads blocked on one of `kinds` at the same moment. */
function maxConcurrentlyBlocked(model: TraceModel, ids: string[], kinds: readonly string[]): number {
  const edges: [number, number][] = [];
  for (const id of ids) for (const [s, e] of blockedIntervals(model.timelines.get(id)!, kinds)) edges.push([s, 1], [e, -1]);
  edges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let now = 0;
  let max = 0;
  for (const [, d] of edges) max = Math.max(max, (now += d));
  return max;
}

function threadsNamed(model: TraceModel, prefix: string): { id: string; name: string; waitingMs: number }[] {
  return model.threads.filter((t) => t.name.startsWith(prefix));
}

function outputOf(chunks: Buffer[]): string {
  return Buffer.concat(chunks).toString("utf8");
}

const all = testPythons();
const ends = all.length > 1 ? [all[0], all[all.length - 1]] : all;

describe.each(ends.map((p) => [p.version, p.executable]))("the lab kit on CPython %s", (_version, python) => {
  it("08: the child processes block on value.get_lock() while another one holds it", async () => {
    const out: Buffer[] = [];
    const r = await traceScript(python, `${EXAMPLES}/08_process_value_locked.py`, { races: false, onStdout: (d) => out.push(d) });
    expect(r.exitCode).toBe(0);
    expect(outputOf(out)).toContain("value = 400 (expected 400)");
    const m = r.model;
    expect(m.problem).toBeNull();
    const [parent, ...children] = m.processes;
    expect(children).toHaveLength(4);
    // A multiprocessing lock's wait is a "lock" bar, as a threading lock's, not drawn as running.
    const blocked = children.filter((c) => c.threads.some((id) => blockedIntervals(m.timelines.get(id)!, ["lock"]).length > 0));
    expect(blocked.length).toBeGreaterThanOrEqual(2);
    expect(parent.threads.some((id) => blockedIntervals(m.timelines.get(id)!, ["lock"]).length > 0)).toBe(false);
  }, 60_000);

  it("09: both threads are blocked on a lock at the same time, and the script says deadlock and fails", async () => {
    const out: Buffer[] = [];
    const r = await traceScript(python, `${EXAMPLES}/09_deadlock_two_locks.py`, { races: false, onStdout: (d) => out.push(d) });
    expect(r.exitCode).toBe(1);
    expect(outputOf(out)).toMatch(/deadlock: gave up after 1\.0 s/);
    const m = r.model;
    expect(m.problem).toBeNull();
    const ids = [...threadsNamed(m, "left"), ...threadsNamed(m, "right")].map((t) => t.id);
    expect(ids).toHaveLength(2);
    for (const id of ids) expect(blockedIntervals(m.timelines.get(id)!, ["lock"]).length).toBeGreaterThan(0);
    expect(maxConcurrentlyBlocked(m, ids, ["lock"])).toBe(2);
  }, 60_000);

  it("10: next to the cpu thread, the io thread waits for the GIL after its I/O and the cpu thread is preempted for it", async () => {
    const r = await traceScript(python, `${EXAMPLES}/10_convoy_effect.py`, { races: false });
    expect(r.exitCode).toBe(0);
    const m = r.model;
    expect(m.problem).toBeNull();
    const io = m.threads.find((t) => t.name === "io");
    expect(io).toBeDefined();
    expect(threadsNamed(m, "cpu")).toHaveLength(1);
    const tl = m.timelines.get(io!.id)!;
    expect(blockedIntervals(tl, ["ioRead", "ioWrite"]).length).toBeGreaterThan(0);
    expect(io!.waitingMs).toBeGreaterThan(0);
    expect(Array.from(tl.state).filter((s) => s === WAITING).length).toBeGreaterThan(0);
    // A blocked interval ends only once the thread holds the GIL again; on Linux the syscall sampler
    // splits the wait for the GIL after the I/O call off the blocked bar: an I/O bar followed at once
    // by a waiting one. Structurally, the cpu thread is preempted to hand the GIL back to the io thread.
    if (process.platform === "linux") {
      const afterIo = Array.from(tl.state).filter(
        (s, i) => s === WAITING && i > 0 && tl.state[i - 1] === BLOCKED && tl.end[i - 1] === tl.start[i],
      );
      expect(afterIo.length).toBeGreaterThan(0);
    }
    const cpu = threadsNamed(m, "cpu")[0];
    const toIo = m.handoffs.filter((h) => h.from === cpu.id && h.to === io!.id && h.reason === "preempted");
    expect(toIo.length).toBeGreaterThan(0);
  }, 60_000);

  it("11: the client threads' blocked I/O overlaps across threads", async () => {
    const out: Buffer[] = [];
    const r = await traceScript(python, `${EXAMPLES}/11_io_bound_threads.py`, { races: false, onStdout: (d) => out.push(d) });
    expect(r.exitCode).toBe(0);
    expect(outputOf(out)).toContain("replies: [4, 4, 4, 4]");
    const m = r.model;
    expect(m.problem).toBeNull();
    const clients = threadsNamed(m, "client-");
    expect(clients).toHaveLength(4);
    const kinds = ["ioRead", "ioWrite", "select"] as const;
    for (const c of clients) expect(blockedIntervals(m.timelines.get(c.id)!, kinds).length).toBeGreaterThan(0);
    expect(maxConcurrentlyBlocked(m, clients.map((c) => c.id), kinds)).toBeGreaterThanOrEqual(2);
  }, 60_000);
});
