// Regression tests for differences CPython's own test suites found between traced and plain runs
// (npm run test:compat, docs/compatibility.md): the traced program prints what the plain one does.
import { describe, expect, it } from "vitest";
import { testPythons } from "../helpers/pythons";
import { Rec } from "../../src/trace/records";
import { events, run, runTraced } from "./run";

const pythons = testPythons().map((p) => [p.version, p.executable]);

describe.each([
  { mode: "race mode", tracerArgs: [] },
  { mode: "timeline mode", tracerArgs: ["--no-races"] },
])("traced = untraced, $mode", ({ tracerArgs }) => {
  it.each(pythons)("a deleted local is collected at once (test_threading_local.test_cycle_collection), Python %s", async (_v, python) => {
    const [plain, traced] = await Promise.all([run(python, ["deleted_local.py"]), runTraced(python, ["deleted_local.py"], { tracerArgs })]);
    expect(plain.stdout).toBe("deleted local collected: True\n".repeat(3));
    expect(traced.ran.stdout).toBe(plain.stdout);
    expect(traced.ran.stderr).toBe(plain.stderr);
  });

  it.each(pythons)("the lock API's argument errors, type(lock), type(lock)() and subclassing as untraced (lock_tests.test_timeout, test_disallow_instantiation, test_lock_no_subclass), Python %s", async (_v, python) => {
    const [plain, traced] = await Promise.all([run(python, ["lock_api.py"]), runTraced(python, ["lock_api.py"], { tracerArgs })]);
    expect(plain.stdout).toContain("acquire(False, 1) -> ValueError");
    expect(traced.ran.stdout).toBe(plain.stdout);
    expect(traced.ran.stderr).toBe(plain.stderr);
  });

  it.each(pythons)("multiprocessing's locks, semaphores, Condition and Value used by threads: same results and errors, and recorded as locks, Python %s", async (_v, python) => {
    const [plain, traced] = await Promise.all([run(python, ["mp_lock_api.py"]), runTraced(python, ["mp_lock_api.py"], { tracerArgs })]);
    expect(plain.stdout).toContain("acquire(timeout='x') -> TypeError");
    expect(plain.stdout).toContain("value 400");
    expect(traced.ran.stdout).toBe(plain.stdout);
    expect(traced.ran.stderr).toBe(plain.stderr);
    // The worker's `with value:` and get_lock().acquire(), 200 of each, then the Condition's lock in
    // `with cond:` and in event.set() (multiprocessing's Event is a Condition and a Semaphore).
    const acquired = events(traced.store).filter((e) => e.kind === Rec.LOCK_ACQUIRED && e.thread === 1);
    expect(acquired.length).toBe(402);
    // Named after the variable, as threading locks: a Value's lock as `value.get_lock()`, the
    // Condition's own RLock and the Event's Condition's Lock after them.
    const proc = traced.store.processes[0];
    const names = events(traced.store).filter((e) => e.kind === Rec.LOCK_NEW).map((e) => proc.string(Math.floor(e.b / 2 ** 32)));
    expect(names).toEqual(["lock", "rlock", "value.get_lock()", "cond", "event"]);
  });

  it.each(pythons)("os._exit(7) leaves with 7 when tracking cannot be undone (the program freed the sys.monitoring tool ids), Python %s", async (_v, python) => {
    const [plain, traced] = await Promise.all([run(python, ["frees_monitoring.py"]), runTraced(python, ["frees_monitoring.py"], { tracerArgs })]);
    expect(plain.code).toBe(7);
    expect(traced.ran.code).toBe(7);
    expect(traced.ran.stdout).toBe(plain.stdout);
    expect(traced.ran.stderr).toBe(plain.stderr);
    const proc = traced.store.processes[0];
    expect(proc.end?.exitCode).toBe(7);
    const marks = events(traced.store).filter((e) => e.kind === Rec.MARK).map((e) => proc.string(e.a));
    if (proc.header.mechanism === "sys.monitoring") expect(marks).toEqual([expect.stringContaining("could not stop tracking at exit: tool")]);
    else expect(marks).toEqual([]);
  });

  it.each(pythons)("a thread started with _thread stays out of threading.enumerate() (regrtest's threading._dangling), Python %s", async (_v, python) => {
    const [plain, traced] = await Promise.all([run(python, ["raw_threads.py"]), runTraced(python, ["raw_threads.py"], { tracerArgs })]);
    expect(plain.stdout).toContain("dummy threads: []");
    expect(traced.ran.stdout).toBe(plain.stdout);
    expect(traced.ran.stderr).toBe(plain.stderr);
    // ...and the tracer still saw the thread run.
    expect(traced.store.processes[0].strings).toContain("_thread-1");
  });
});
