// A fork child has no thread of the tracer's until it needs one (issue 6: CPython's test_threading
// test_clear_threads_states_after_fork counts a fork child's threads with sys._current_frames()):
// what the child counts is what it counts untraced; and a child that is killed without any exit
// path running still has its events in the trace, written by the flusher it started when needed.
import { describe, expect, it } from "vitest";
import { BlockCode, Rec, ThreadFlag } from "../../src/trace/records";
import { testPythons } from "../helpers/pythons";
import { events, run, runTraced } from "./run";

const pythons = testPythons().map((p) => [p.version, p.executable]);

describe.each([
  { mode: "race mode", tracerArgs: [] },
  { mode: "timeline mode", tracerArgs: ["--no-races"] },
])("fork children, $mode", ({ tracerArgs }) => {
  it.each(pythons)("sys._current_frames(), threading.active_count() and threading.enumerate() in a child and a grandchild see what they see untraced, Python %s", async (_v, python) => {
    // --flush-ms 2000: the children live well under one flush interval even on a loaded machine,
    // so none of them has a reason to start the flusher (the default 200 ms is the kill test's).
    const args = [...tracerArgs, "--flush-ms", "2000"];
    const [plain, traced] = await Promise.all([run(python, ["fork_census.py"]), runTraced(python, ["fork_census.py"], { tracerArgs: args })]);
    expect(plain.code).toBe(0);
    expect(plain.stdout.match(/frames 1, active 1, threads \['MainThread'\]/g)).toHaveLength(7);
    expect(traced.ran.stdout).toBe(plain.stdout);
    expect(traced.ran.stderr.replace(/pid=\d+/g, "pid=N")).toBe(plain.stderr.replace(/pid=\d+/g, "pid=N"));
    // Nothing lost: parent, child and grandchild, each ended through its exit path.
    const { store } = traced;
    expect(store.problem).toBeNull();
    expect(store.processes).toHaveLength(3);
    for (const p of store.processes.slice(1)) {
      expect(p.end).toMatchObject({ how: "os._exit", exitCode: 0 });
      const sleeps = events(store, p.index).filter((e) => e.kind === Rec.BLOCK_ENTER && e.flags === BlockCode.sleep);
      expect(sleeps.length).toBeGreaterThanOrEqual(2);
    }
  });

  it.each(pythons)("a child killed by SIGKILL while it waits keeps its events (it started the flusher: after a flush interval, or with its first thread), Python %s", async (_v, python) => {
    for (const how of ["sleeps", "thread"]) {
      const traced = await runTraced(python, ["fork_killed.py", how], { tracerArgs });
      expect(traced.ran.stdout).toBe("child says waiting\nchild killed by signal 9\n");
      const { store } = traced;
      expect(store.processes).toHaveLength(2);
      const child = store.processes[1];
      expect(child.end).toBeNull();
      const evs = events(store, child.index);
      expect(evs.filter((e) => e.kind === Rec.THREAD_START && e.flags & ThreadFlag.main)).toHaveLength(1);
      const sleeps = evs.filter((e) => e.kind === Rec.BLOCK_ENTER && e.flags === BlockCode.sleep);
      // The waits of the child when it was killed (its time.sleep(60), and its thread's) are in the
      // trace; "sleeps" also its two short ones.
      expect(sleeps.length).toBe(how === "sleeps" ? 3 : 2);
      if (how === "thread") expect(evs.filter((e) => e.kind === Rec.THREAD_START && !(e.flags & ThreadFlag.main))).toHaveLength(1);
    }
  });
});
