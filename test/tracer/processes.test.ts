// multiprocessing: every child process appends its own chunks to the same trace, with its start
// method, its parent and an end chunk; the parent records PROCESS_SPAWN with the child's pid.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Rec, ThreadFlag } from "../../src/trace/records";
import type { EventStore } from "../../src/trace/store";
import { testPythons } from "../helpers/pythons";
import { EXAMPLES, events, run, runTraced } from "./run";

const pythons = testPythons().map((p) => [p.version, p.executable] as const);

function checkChildren(store: EventStore, startMethod: string, how: string): void {
  expect(store.problem).toBeNull();
  const [parent, ...children] = store.processes;
  expect(parent.header.startMethod).toBeNull();
  const spawned = events(store, 0).filter((e) => e.kind === Rec.PROCESS_SPAWN).map((e) => e.a);
  expect(children.map((c) => c.pid).sort()).toEqual([...spawned].sort());
  for (const child of children) {
    expect(child.header.parentPid).toBe(parent.pid);
    expect(child.header.startMethod).toBe(startMethod);
    expect(child.end).toMatchObject({ how, exitCode: 0 });
    const main = events(store, child.index).filter((e) => e.kind === Rec.THREAD_START && e.flags & ThreadFlag.main);
    expect(main).toHaveLength(1);
  }
  expect(parent.end).toMatchObject({ how: "exit", exitCode: 0 });
}

describe.each(pythons)("multiprocessing, Python %s", (_version, python) => {
  it("fork children (lab 06): one process each, ended through os._exit with their trace kept", async () => {
    const { ran, store } = await runTraced(python, [join(EXAMPLES, "06_processes_cpu.py")], { tracerArgs: ["--no-races"] });
    expect(ran.stdout).toBe("exit codes: [0, 0, 0, 0]\n");
    expect(store.processes).toHaveLength(5);
    checkChildren(store, "fork", "fork-child-exit");
    const PROCESS_WAIT = 13;
    const joins = events(store, 0).filter((e) => e.kind === Rec.BLOCK_ENTER && e.flags === PROCESS_WAIT);
    expect(joins).toHaveLength(4);
  });

  it("spawn children: started through the tracer's sitecustomize, output unchanged", async () => {
    const [plain, traced] = await Promise.all([run(python, ["spawn_children.py"]), runTraced(python, ["spawn_children.py"])]);
    expect(traced.ran.stdout).toBe(plain.stdout);
    expect(traced.ran.stderr).toBe(plain.stderr);
    const { store } = traced;
    expect(store.processes).toHaveLength(3); // not the resource tracker
    checkChildren(store, "spawn", "exit");
    for (const child of store.processes.slice(1)) {
      expect(events(store, child.index).some((e) => e.kind === Rec.ACCESS)).toBe(true);
    }
  });

  it("a Value and an Array item are shared-memory locations with one owner in every process", async () => {
    const { ran, store } = await runTraced(python, ["shared_memory.py"]);
    expect(ran.stdout).toBe("done\n");
    const children = store.processes.slice(1);
    expect(children).toHaveLength(2);
    const SHARED = 5;
    const owners = (name: string) =>
      children.map((t) => {
        const accessed = new Set(events(store, t.index).filter((e) => e.kind === Rec.ACCESS).map((e) => e.b));
        const locs = [...accessed].map((id) => t.locs[id]).filter((l) => l && t.string(l.name) === name);
        expect(locs.map((l) => l.kind), name).toEqual([SHARED]);
        return locs[0].owner;
      });
    for (const name of ["value.value", "array[0]"]) {
      const [a, b] = owners(name);
      expect(a).toBeGreaterThan(0);
      expect(a).toBe(b);
    }
  });
});
