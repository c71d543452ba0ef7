// Who is who in a real trace: native ids as the program sees them, thread indexes that stay
// distinct when the OS reuses get_ident() values, and the default scope keeping the standard
// library's own code out of RUN and ACCESS records.
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { buildModel } from "../../src/trace/model";
import { lo32, Rec, ThreadFlag } from "../../src/trace/records";
import { testPythons } from "../helpers/pythons";
import { events, FIXTURES, runTraced } from "./run";

const pythons = testPythons().map((p) => [p.version, p.executable] as const);

describe.each(pythons)("thread identity, Python %s", (_version, python) => {
  it("THREAD_START carries each thread's native id, as threading.get_native_id() gives it", async () => {
    const { ran, store } = await runTraced(python, ["native_ids.py"]);
    expect(ran.code, ran.stderr).toBe(0);
    // "MainThread 1234" per thread, as the program saw itself.
    const seen = new Map(ran.stdout.trim().split("\n").map((l) => [l.split(" ")[0], Number(l.split(" ")[1])] as const));
    expect([...seen.keys()].sort()).toEqual(["MainThread", "worker-0", "worker-1", "worker-2"]);
    const table = store.processes[0];
    const starts = events(store).filter((e) => e.kind === Rec.THREAD_START);
    const recorded = new Map(starts.map((e) => [table.string(lo32(e.b)), e.a] as const));
    expect(recorded).toEqual(seen);
    expect(starts.find((e) => e.flags & ThreadFlag.main)?.a).toBe(seen.get("MainThread"));
    // The model hands the same ids on.
    const model = buildModel(store);
    expect(new Map(model.threads.map((t) => [t.name, t.nativeId] as const))).toEqual(seen);
  });

  it("40 threads one after another, get_ident() reused: 40 thread indexes, each with its own start and end", async () => {
    const { ran, store } = await runTraced(python, ["reused_ids.py"]);
    expect(ran.code, ran.stderr).toBe(0);
    const [n, idents, , last] = ran.stdout.trim().split(" ").map(Number);
    expect(n).toBe(40);
    expect(last).toBe(39);
    // The premise: the OS did reuse identities (a joined thread's get_ident() goes to the next one).
    expect(idents).toBeLessThan(40);
    const evs = events(store);
    const table = store.processes[0];
    const starts = evs.filter((e) => e.kind === Rec.THREAD_START && !(e.flags & ThreadFlag.main));
    const ends = evs.filter((e) => e.kind === Rec.THREAD_END && e.thread !== 0);
    const indexes = starts.map((e) => e.thread);
    expect(new Set(indexes).size).toBe(40);
    expect(ends.map((e) => e.thread).sort((a, b) => a - b)).toEqual([...indexes].sort((a, b) => a - b));
    expect(evs.filter((e) => e.kind === Rec.THREAD_SPAWN).map((e) => e.a)).toEqual(indexes);
    expect(evs.filter((e) => e.kind === Rec.THREAD_JOINED).map((e) => e.a)).toEqual(indexes);
    // In record order: seq-0 starts, ends, is joined, then seq-1 starts...; names follow indexes.
    const lifecycle = evs
      .filter((e) => (e.kind === Rec.THREAD_START || e.kind === Rec.THREAD_END) && e.thread !== 0)
      .map((e) => `${e.kind === Rec.THREAD_START ? "start" : "end"} ${e.thread}`);
    expect(lifecycle).toEqual(indexes.flatMap((t) => [`start ${t}`, `end ${t}`]));
    expect(starts.map((e) => table.string(lo32(e.b)))).toEqual(Array.from({ length: 40 }, (_, i) => `seq-${i}`));
    // The model: 41 threads, each worker's interval its own and closed, none overlapping the next.
    const workers = buildModel(store).threads.filter((t) => t.index !== 0);
    expect(workers.map((t) => t.name)).toEqual(Array.from({ length: 40 }, (_, i) => `seq-${i}`));
    expect(new Set(workers.map((t) => t.id)).size).toBe(40);
    for (let i = 0; i < workers.length; i++) {
      const end = workers[i].endMs;
      expect(end, workers[i].name).not.toBeNull();
      expect(end ?? -1).toBeGreaterThanOrEqual(workers[i].startMs);
      if (i + 1 < workers.length) expect(workers[i + 1].startMs).toBeGreaterThanOrEqual(end ?? Infinity);
    }
  });

  it("default scope: RUN and ACCESS sites stay in the script's folder while it uses queue, threading and a pool", async () => {
    const { ran, store } = await runTraced(python, ["stdlib_users.py"]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toBe("200 19900 40425\n");
    const table = store.processes[0];
    expect(table.header.scope).toEqual([FIXTURES]);
    const files = new Map<string, number>();
    let runs = 0;
    let accesses = 0;
    for (const e of events(store)) {
      if (e.kind !== Rec.RUN && e.kind !== Rec.ACCESS) continue;
      if (e.kind === Rec.RUN) runs++;
      else accesses++;
      // 3.8 names the script's code as it was given (relative to the cwd); 3.9+ absolute.
      const site = table.site(e.a);
      const file = site ? resolve(table.header.cwd, site.file) : `(site ${e.a})`;
      files.set(file, (files.get(file) ?? 0) + 1);
    }
    // The program's own code ran and touched shared state (results, the queue object's name)...
    expect(runs).toBeGreaterThan(0);
    expect(accesses).toBeGreaterThan(0);
    // ...and every such record is in the script's folder: none in threading.py, queue.py, concurrent/.
    const outside = [...files.keys()].filter((f) => !f.startsWith(`${FIXTURES}/`));
    expect(outside).toEqual([]);
    // Site 0 ("unknown") would hide a stdlib frame as well as a missing one: all RUN/ACCESS sites are known.
    expect([...files.keys()].filter((f) => f.startsWith("(site"))).toEqual([]);
  });
});
