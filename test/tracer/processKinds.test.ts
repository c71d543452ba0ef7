// Issue 5: every kind of child process is traced, on every CPython found: a multiprocessing Process
// per start method (fork, spawn, forkserver), a ProcessPoolExecutor worker, and Python programs run
// through subprocess (a script and `-c`). Each child appears once with its parent, its threads and its
// own handoffs, on the parent's clock; multiprocessing's helpers (fork server, resource tracker) and a
// non-Python subprocess are not in the trace; output and exit codes are the same as untraced.
import { describe, expect, it } from "vitest";
import { buildModel } from "../../src/trace/model";
import { Rec } from "../../src/trace/records";
import { testPythons } from "../helpers/pythons";
import { events, run, runTraced } from "./run";

const pythons = testPythons().map((p) => [p.version, p.executable] as const);

describe.each(pythons)("every kind of child process, Python %s", (_version, python) => {
  it("each child once, with its parent, threads and end, on one clock; helpers not listed", async () => {
    const [plain, traced] = await Promise.all([run(python, ["every_child.py"]), runTraced(python, ["every_child.py"])]);
    expect(traced.ran.code).toBe(0);
    expect(traced.ran.code).toBe(plain.code);
    expect(traced.ran.stdout).toBe(plain.stdout);
    expect(plain.stdout).toContain("program 7 child program 7\n-c 4 from -c\n");

    const { store } = traced;
    expect(store.problem).toBeNull();
    const [parent, ...children] = store.processes;
    const byMethod = children.map((c) => c.header.startMethod).sort();
    // fork, spawn and forkserver Processes, the executor's (fork) worker, two Python subprocesses;
    // neither the fork server, nor the resource tracker, nor `echo`.
    expect(byMethod).toEqual(["fork", "fork", "forkserver", "spawn", "subprocess", "subprocess"]);
    expect(new Set(children.map((c) => c.pid)).size).toBe(children.length);

    const spawns = new Map<number, number>(); // child pid -> when the parent began to start it
    for (let i = 0; i < store.count; i++) {
      if (store.proc[i] === parent.index && store.kind[i] === Rec.PROCESS_SPAWN) spawns.set(store.a[i], store.b[i]);
    }
    expect([...spawns.keys()].sort()).toEqual(children.map((c) => c.pid).sort());
    const parentEnd = parent.end!.endNs;
    for (const c of children) {
      expect(c.header.parentPid).toBe(parent.pid);
      const launched = spawns.get(c.pid)!;
      expect(launched).toBeGreaterThan(parent.header.startNs);
      expect(c.header.startNs).toBeGreaterThanOrEqual(launched);
      expect(c.end).not.toBeNull();
      expect(c.end!.endNs).toBeGreaterThan(c.header.startNs);
      expect(c.end!.endNs).toBeLessThanOrEqual(parentEnd);
      const starts = events(store, c.index).filter((e) => e.kind === Rec.THREAD_START);
      expect(starts.length).toBeGreaterThanOrEqual(1);
    }

    const method = (m: string) => children.filter((c) => c.header.startMethod === m);
    for (const c of [...method("fork"), ...method("forkserver")]) expect(c.end).toMatchObject({ how: "fork-child-exit", exitCode: 0 });
    expect(method("spawn")[0].end).toMatchObject({ how: "exit", exitCode: 0 });
    const [program, inline] = [...method("subprocess")].sort((a, b) => a.header.startNs - b.header.startNs);
    expect(program.header.script).toMatch(/child_program\.py$/);
    expect(program.end!.exitCode).toBe(7);
    expect(inline.header.script).toBeNull();
    expect(inline.end!.exitCode).toBe(4);
    const worker = method("fork").find((c) => c.header.target?.function === "_process_worker");
    expect(worker?.header.tasks.map((t) => t.function)).toEqual(["work"]);

    // The model: a process per child with its own threads (the program's two) and handoffs.
    const model = buildModel(store, { races: false });
    expect(model.processes.map((p) => p.pid)).toEqual(store.processes.map((p) => p.pid));
    for (const p of model.processes.slice(1)) {
      expect(p.threads.length).toBeGreaterThanOrEqual(1);
      expect(p.threads.every((id) => id.startsWith(`${p.pid}:`))).toBe(true);
    }
    expect(model.processes.find((p) => p.pid === program.pid)!.threads).toHaveLength(2);
  }, 120_000);
});
