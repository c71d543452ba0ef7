// Programs that trace themselves (issue 6): a program's own sys.settrace function and pdb keep
// working under the tracer, and where they take the tracer's place (the settrace mechanism,
// 3.8-3.11) the trace says so. coverage.py: with every interpreter found that can import it
// (Debian's python3-coverage, which .ci/run installs).
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { buildModel } from "../../src/trace/model";
import { testPythons } from "../helpers/pythons";
import { run, runTraced } from "./run";

const pythons = testPythons();
const oldestAndNewest = [pythons[0], pythons[pythons.length - 1]].map((p) => [p.version, p.executable]);
const REPLACED = "sys.settrace was replaced by the program: this thread is no longer traced";
const PUT_BACK = "sys.settrace: the program put the tracer back: this thread is traced again";

describe("a program with its own trace function", () => {
  it.each(pythons.map((p) => [p.version, p.executable]))("sees the events it asks for, in the main thread and a worker, Python %s", async (_v, python) => {
    const [plain, traced] = await Promise.all([run(python, ["user_settrace.py"]), runTraced(python, ["user_settrace.py"])]);
    expect(plain.stdout).toContain("('MainThread', 'call')");
    expect(plain.stdout).toContain("('worker', 'call')");
    expect(plain.stdout).toContain("restored: True");
    expect(traced.ran.stdout).toBe(plain.stdout);
    expect(traced.ran.stderr).toBe(plain.stderr);

    const model = buildModel(traced.store);
    const mechanism = traced.store.processes[0].header.mechanism;
    expect(model.threads.map((t) => t.name)).toContain("worker");
    if (mechanism === "settrace") {
      // The program's function replaced the tracer's in both threads; the main thread put back
      // what sys.gettrace() had given it, which resumes tracking there.
      expect(model.warnings).toEqual(expect.arrayContaining([expect.stringContaining(REPLACED), expect.stringContaining(PUT_BACK)]));
    } else {
      // sys.monitoring and sys.settrace are independent: nothing is replaced, nothing to say.
      expect(model.warnings.filter((w) => w.includes("sys.settrace"))).toEqual([]);
    }
  });
});

describe("pdb driven from stdin", () => {
  const commands = "b 17\nc\np total\nc\nq\n"; // line 17: print("total", total)

  it.each(oldestAndNewest)("stops at the breakpoint and prints the same, Python %s", async (_v, python) => {
    const args = ["-m", "pdb", "debugged_program.py"];
    const [plain, traced] = await Promise.all([run(python, args, { input: commands }), runTraced(python, args, { input: commands })]);
    expect(plain.stdout).toContain("debugged_program.py(17)<module>()");
    expect(plain.stdout).toContain("(Pdb) 14\n");
    expect(plain.stdout).toContain("total 14");
    expect(traced.ran.stdout).toBe(plain.stdout);
    expect(traced.ran.stderr).toBe(plain.stderr);
    expect(traced.ran.code).toBe(plain.code);

    const model = buildModel(traced.store);
    if (traced.store.processes[0].header.mechanism === "settrace") {
      expect(model.warnings).toEqual(expect.arrayContaining([expect.stringContaining(REPLACED)]));
    } else {
      expect(model.warnings.filter((w) => w.includes("sys.settrace"))).toEqual([]);
    }
  });

  it("with race mode on 3.12, pdb does not warn about comprehension variables (f_locals copies)", async () => {
    const py312 = pythons.find((p) => p.minor === 12);
    if (!py312) return; // the bug and its fix are 3.12-only (PEP 709 inlined comprehensions)
    const traced = await runTraced(py312.executable, ["-m", "pdb", "debugged_program.py"], { input: commands });
    expect(traced.ran.stderr).not.toContain("RuntimeWarning");
    expect(traced.ran.stdout).not.toContain("RuntimeWarning");
    expect(traced.ran.stdout).toContain("(Pdb) 14\n");
  });
});

describe("coverage.py in the program", () => {
  const withCoverage = pythons.filter((p) => spawnSync(p.executable, ["-c", "import coverage"]).status === 0);

  it("is found with at least one interpreter (Debian's python3 with python3-coverage)", () => {
    expect(withCoverage.map((p) => p.executable)).not.toEqual([]);
  });

  it.each(withCoverage.map((p) => [p.version, p.executable]))("measures the program as untraced, and the trace says where it took over, Python %s", async (_v, python) => {
    const [plain, traced] = await Promise.all([run(python, ["uses_coverage.py"]), runTraced(python, ["uses_coverage.py"])]);
    expect(plain.stdout).toBe("counter 40000 work measured True\n");
    expect(traced.ran.stdout).toBe(plain.stdout);
    expect(traced.ran.stderr).toBe(plain.stderr);
    expect(traced.ran.code).toBe(0);
    const model = buildModel(traced.store);
    expect(model.problem).toBeNull();
    if (traced.store.processes[0].header.mechanism === "settrace") {
      expect(model.warnings).toEqual(expect.arrayContaining([expect.stringContaining(REPLACED)]));
    }
  });
});
