// The switch-point classifier on the real `dis` listings of every CPython found: each window's
// verdict per version must match what the tracer-physics measurements showed untraced
// (lost updates in W1-like loops by what stands between the LOAD and the STORE).
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { judgeWindow, switchReason, switchWindow, versionList, type DisInstruction } from "../../src/trace/switchPoints";
import { testPythons } from "../helpers/pythons";

interface Case { dis: [number, string, string, number][]; read: number; write: number }

// Minor versions on which the untraced interpreter can switch inside each window (with the GIL).
const LOSES_ON: Record<string, number[]> = {
  aug: [8, 9],
  lines: [8, 9],
  attr: [8, 9],
  item: [8, 9],
  c_call: [8, 9, 10],
  py_call: [8, 9, 10, 11, 12, 13],
  loop: [8, 9, 10, 11, 12, 13],
  sleep0: [8, 9, 10, 11, 12, 13],
};

function windowsOf(executable: string): { minor: number; cases: Record<string, Case> } {
  const out = execFileSync(executable, [join(__dirname, "fixtures", "dis_windows.py")], { encoding: "utf8" });
  return JSON.parse(out) as { minor: number; cases: Record<string, Case> };
}

function toDis(rows: Case["dis"]): DisInstruction[] {
  let line = 0;
  return rows.map(([offset, opname, argrepr, l]) => {
    if (l > 0) line = l;
    return { offset, opname, argrepr, line };
  });
}

describe("switch points on every CPython found", () => {
  for (const py of testPythons()) {
    it(`classifies the windows of ${py.version}`, () => {
      const { minor, cases } = windowsOf(py.executable);
      expect(minor).toBe(py.minor);
      expect(Object.keys(cases).sort()).toEqual(Object.keys(LOSES_ON).sort());
      for (const [name, c] of Object.entries(cases)) {
        const w = switchWindow(toDis(c.dis), c.read, c.write, true);
        const possible = switchReason(w, { minor, gilEnabled: true }) !== null;
        expect({ name, possible }).toEqual({ name, possible: LOSES_ON[name].includes(minor) });
        // Without the GIL every window can lose updates.
        expect(switchReason(w, { minor, gilEnabled: false })).not.toBeNull();
      }
      const sleep = switchWindow(toDis(cases.sleep0.dis), cases.sleep0.read, cases.sleep0.write, true);
      expect(sleep.calls.map((c) => c.callee)).toEqual(["time.sleep"]);
      const len = switchWindow(toDis(cases.c_call.dis), cases.c_call.read, cases.c_call.write, true);
      expect(len.calls.map((c) => [c.callee, c.mayBePython])).toEqual([["len", false]]);
    });
  }

  it("words the verdict with the versions that lose updates", () => {
    const dis: DisInstruction[] = [
      { offset: 30, opname: "LOAD_GLOBAL", argrepr: "counter", line: 7 },
      { offset: 40, opname: "LOAD_CONST", argrepr: "1", line: 7 },
      { offset: 42, opname: "BINARY_OP", argrepr: "+=", line: 7 },
      { offset: 46, opname: "STORE_GLOBAL", argrepr: "counter", line: 7 },
    ];
    const w = switchWindow(dis, 30, 46, true);
    expect(judgeWindow(w, { minor: 12, gilEnabled: true }, "counter", 0).explanation).toBe(
      "Safe by accident on 3.12: no switch point between LOAD_GLOBAL and STORE_GLOBAL of `counter`. " +
        "It loses updates on 3.8 and 3.9 and on free-threaded 3.13t: guard it with a lock anyway.",
    );
    const on9 = judgeWindow(w, { minor: 9, gilEnabled: true }, "counter", 3);
    expect(on9.possibleUntraced).toBe(true);
    expect(on9.explanation).toContain("(also on 3.8; safe by accident on 3.10-3.13 with the GIL)");
    // The read and the write in different functions: a call or return lies between, on every version.
    expect(switchReason(switchWindow(dis, 30, 46, false), { minor: 13, gilEnabled: true })).not.toBeNull();
    expect(versionList([8, 10, 11, 12])).toBe("3.8 and 3.10-3.12");
  });
});

describe("switch points without a dis listing", () => {
  it("rules nothing out when the trace has no CODE_DIS for the code", () => {
    const w = switchWindow([], 30, 46, true);
    expect(w.unknown).toBe(true);
    expect(switchReason(w, { minor: 12, gilEnabled: true })).toMatch(/no `dis` listing/);
  });
});
