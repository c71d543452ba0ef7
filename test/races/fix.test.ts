// The fix names the lock the program already uses, read from the real `dis` of every CPython found
// around the instruction that takes it; and the CLI text shows the interleaving as the lesson does.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { describeLines, lockNameAt, newLockName, suggestFix } from "../../src/trace/raceFix";
import { raceText } from "../../src/trace/raceText";
import { parseDis } from "../../src/trace/switchPoints";
import type { RacePoint } from "../../src/trace/types";
import { testPythons } from "../helpers/pythons";

interface LockCase { fn: string; dis: unknown[]; offset: number; name: string }

describe("lock names from dis", () => {
  for (const py of testPythons()) {
    it(`names \`with lock:\` and lock.acquire() locks on ${py.version}`, () => {
      const out = execFileSync(py.executable, [join(__dirname, "fixtures", "lock_sites.py")], { encoding: "utf8" });
      const cases = JSON.parse(out) as LockCase[];
      expect(cases).toHaveLength(4);
      for (const c of cases) {
        expect({ fn: c.fn, name: lockNameAt(parseDis(JSON.stringify(c.dis)), c.offset) }).toEqual({ fn: c.fn, name: c.name });
      }
    });
  }
});

describe("fix wording", () => {
  it("proposes a new lock named after the variable, or the variable's own lock for shared memory", () => {
    expect(newLockName("counts[word]")).toBe("counts_lock");
    expect(newLockName("self.balance")).toBe("self.balance_lock");
    expect(newLockName("hits in make_counter")).toBe("hits_lock"); // a closure cell, named with its function
    const lines = new Map([["work", [12, 13]], ["report", [20]]]);
    expect(describeLines(lines)).toBe("lines 12-13 in `work` and line 20 in `report`");
    expect(suggestFix({ variable: "v.value", sharedMemory: true, lines: new Map([["work", [9]]]), existingLock: null }))
      .toBe("guard line 9 with `with v.get_lock():` (the shared value's own lock)");
  });

  it("prints the interleaving as the lesson's dis listing", () => {
    const step = (thread: string, instruction: string, note?: string) => ({
      thread, instruction, variable: "counter", file: "/x/lab.py", line: 7, timeMs: 1, ...(note ? { note } : {}),
    });
    const race: RacePoint = {
      variable: "counter", kind: "lost-update", count: 2, possibleUntraced: false, explanation: "Safe by accident on 3.12.",
      accesses: [], fix: "create `counter_lock = threading.Lock()` and guard line 7 with `with counter_lock:`",
      interleaving: [step("9:1", "LOAD_GLOBAL", "stale read"), step("9:2", "LOAD_GLOBAL"), step("9:2", "STORE_GLOBAL"), step("9:1", "STORE_GLOBAL", "lost update")],
    };
    expect(raceText([race]).split("\n")).toEqual([
      "  counter: lost-update (2 lost updates seen, caused by tracing; can happen without the tracer on this Python: no)",
      "    Safe by accident on 3.12.",
      "      T1 LOAD_GLOBAL counter   lab.py:7  <- stale read",
      "      T2 LOAD_GLOBAL counter   lab.py:7",
      "      T2 STORE_GLOBAL counter  lab.py:7",
      "      T1 STORE_GLOBAL counter  lab.py:7  <- lost update",
      "    fix: create `counter_lock = threading.Lock()` and guard line 7 with `with counter_lock:`",
      "",
    ]);
  });
});

describe("cross-process interleaving text", () => {
  it("names the process when the steps come from several", () => {
    const step = (thread: string, instruction: string) => ({ thread, instruction, variable: "v.value", file: "/x/mp.py", line: 9, timeMs: 1 });
    const race: RacePoint = {
      variable: "v.value", kind: "lost-update", count: 1, possibleUntraced: true, explanation: "Separate processes.",
      accesses: [], fix: "guard line 9 with `with v.get_lock():`",
      interleaving: [step("11:0", "LOAD_ATTR"), step("12:0", "STORE_ATTR")],
    };
    expect(raceText([race]).split("\n").slice(2, 4)).toEqual([
      "      pid 11 main LOAD_ATTR v.value   mp.py:9",
      "      pid 12 main STORE_ATTR v.value  mp.py:9",
    ]);
  });
});
