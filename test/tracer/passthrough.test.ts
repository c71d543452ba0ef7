// A traced program behaves exactly like the untraced one (stdout, stderr, exit code), on every
// CPython found, and the trace records how it ended.
import { describe, expect, it } from "vitest";
import { testPythons } from "../helpers/pythons";
import { run, runTraced } from "./run";

const pythons = testPythons();

interface Case {
  name: string;
  args: string[];
  input?: string;
  exitCode: number;
  how: string;
  /** Processes in the trace (multiprocessing children add theirs); 1 when not given. */
  processes?: number;
}

const cases: Case[] = [
  { name: "normal exit, argv, __name__, sys.path[0], sibling import, stdin", args: ["hello.py", "a b", "--flag"], input: "piped line\n", exitCode: 0, how: "exit" },
  { name: "sys.exit(3)", args: ["exit3.py"], exitCode: 3, how: "exit" },
  { name: "uncaught exception (same traceback)", args: ["boom.py"], exitCode: 1, how: "exception" },
  { name: "SyntaxError in the script", args: ["syntax_error.py"], exitCode: 1, how: "exception" },
  { name: "-m module with SystemExit(message)", args: ["-m", "pkg.mod", "x", "--", "y"], exitCode: 1, how: "exit" },
  { name: "uncaught exception in a thread", args: ["thread_exception.py"], exitCode: 0, how: "exit" },
  { name: "a script that does not exist", args: ["no_such_script.py"], exitCode: 2, how: "exception" },
  { name: "the standard library's threads, pools, asyncio, sockets and subprocesses", args: ["stdlib_smoke.py"], exitCode: 0, how: "exit", processes: 4 }, // 2 pool workers, 1 `python -c`
];

describe.each(cases)("traced = untraced: $name", (c) => {
  it.each(pythons.map((p) => [p.version, p.executable]))("Python %s", async (_v, python) => {
    const [plain, traced] = await Promise.all([run(python, c.args, { input: c.input }), runTraced(python, c.args, { input: c.input })]);
    expect(traced.ran.stderr).toBe(plain.stderr);
    expect(traced.ran.stdout).toBe(plain.stdout);
    expect(traced.ran.code).toBe(plain.code);
    expect(plain.code).toBe(c.exitCode);

    const { store } = traced;
    expect(store.problem).toBeNull();
    expect(store.processes).toHaveLength(c.processes ?? 1);
    const proc = store.processes[0];
    expect(proc.header.python.version).toBe(_v);
    expect(proc.header.mechanism).toBe(Number(_v.split(".")[1]) >= 12 ? "sys.monitoring" : "settrace");
    expect(proc.end?.exitCode).toBe(c.exitCode);
    expect(proc.end?.how).toBe(c.how);
  });
});

describe("errors are recorded in the process-end JSON", () => {
  it.each(pythons.map((p) => [p.version, p.executable]))("SyntaxError with its line, Python %s", async (_v, python) => {
    const { store } = await runTraced(python, ["syntax_error.py"]);
    const error = store.processes[0].end?.error;
    expect(error?.type).toBe("SyntaxError");
    expect(error?.file).toMatch(/syntax_error\.py$/);
    expect([2, 3]).toContain(error?.line); // the line Python blames differs across versions
    expect(store.processes[0].strings).not.toContain("never printed");
  });

  it.each(pythons.map((p) => [p.version, p.executable]))("ZeroDivisionError at its line, Python %s", async (_v, python) => {
    const { store } = await runTraced(python, ["boom.py"]);
    const error = store.processes[0].end?.error;
    expect(error).toMatchObject({ type: "ZeroDivisionError", line: 6 });
    expect(error?.traceback).toContain("in inner");
  });
});
