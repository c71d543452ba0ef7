// Issue 6, "programs that misbehave": each script in scripts/ runs untraced and traced (the real
// CLI, and runTracer where the extension's path differs) on the oldest and newest CPython found.
// Traced must equal untraced (stdout and stderr bytes, exit code or signal), apart from the CLI's
// own clearly-marked lines; the trace must decode and say how the program ended; and no process
// may be left behind (found by a marker in the argv).
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runTracer } from "../../src/run/runTracer";
import { decodeTrace } from "../../src/trace/decode";
import type { EventStore } from "../../src/trace/store";
import type { TraceSummary } from "../../src/trace/summary";
import { testPythons } from "../helpers/pythons";
import { leftBehind, marker, runCli, runPlain, scriptStderr, SCRIPTS, type Ran, type SpawnOptions } from "./run";

const all = testPythons();
const pythons = [all[0], all[all.length - 1]].map((p) => [p.version, p.executable] as const);

interface Traced {
  plain: Ran;
  traced: Ran;
  /** The script's part of the CLI's stderr, and the CLI's own lines. */
  stderr: { script: Buffer; ours: string };
  store: EventStore;
  summary: TraceSummary;
  leftovers: number[];
}

/** Send `signal` to the spawned process once its stdout holds `text` (to python untraced, to the CLI traced). */
interface SignalAt {
  text: string;
  signal: NodeJS.Signals;
  /** Only to the untraced run (the traced one is stopped by the CLI itself). */
  plainOnly?: boolean;
}

function signalOnce(at: SignalAt | undefined): SpawnOptions["onStdout"] {
  let sent = false;
  return at && ((text, signal) => {
    if (sent || !text.includes(at.text)) return;
    sent = true;
    signal(at.signal);
  });
}

/** Runs `script args...` untraced and through the CLI at the same time (each with its own marker). */
async function both(
  python: string,
  script: string,
  args: string[],
  o: SpawnOptions & { cliArgs?: string[]; signalAt?: SignalAt } = {},
): Promise<Traced> {
  const dir = mkdtempSync(join(tmpdir(), "gil-misbehave-"));
  const [markPlain, markTraced] = [marker(), marker()];
  const out = join(dir, "t.gtl");
  const json = join(dir, "summary.json");
  const [plain, traced] = await Promise.all([
    runPlain(python, [script, ...args, markPlain], { ...o, onStdout: signalOnce(o.signalAt) }),
    runCli(python, ["--out", out, "--json", json, ...(o.cliArgs ?? [])], [script, ...args, markTraced], {
      ...o,
      onStdout: o.signalAt?.plainOnly ? undefined : signalOnce(o.signalAt),
    }),
  ]);
  const leftovers = [...(await leftBehind(markPlain)), ...(await leftBehind(markTraced))];
  if (!existsSync(json)) throw new Error(`the CLI wrote no summary (exit ${traced.code}); its stderr:\n${traced.stderr.toString().slice(-4000)}`);
  const summary = JSON.parse(readFileSync(json, "utf8")) as TraceSummary;
  return { plain, traced, stderr: scriptStderr(traced.stderr), store: decodeTrace(new Uint8Array(readFileSync(out))), summary, leftovers };
}

/**
 * Runs `script args...` through runTracer, as the extension does, and once its stdout holds `text`
 * stops it through `how`: "signal" (Stop/Cancel: kill the tree) or "interrupt" (SIGINT to the group).
 */
async function traceAndStop(python: string, [script, ...args]: string[], text: string, how: "signal" | "interrupt") {
  const mark = marker();
  const stop = new AbortController();
  let stdout = "";
  const result = await runTracer({
    python,
    script: join(SCRIPTS, script),
    args: [...args, mark],
    out: join(mkdtempSync(join(tmpdir(), "gil-misbehave-")), "t.gtl"),
    graceMs: 2000,
    [how]: stop.signal,
    onStdout: (d) => {
      stdout += d.toString();
      if (stdout.includes(text)) stop.abort();
    },
  });
  return { result, stdout, leftovers: await leftBehind(mark) };
}

/** The exit status the CLI reports for an untraced run (a signal becomes 128 + its number, as in a shell). */
function cliCode(plain: Ran): number {
  if (plain.code !== null) return plain.code;
  return 128 + ({ SIGINT: 2, SIGKILL: 9, SIGTERM: 15 } as Record<string, number>)[plain.signal ?? ""];
}

/** The whole trace decoded and its end record says how the program ended. */
function expectEnd(r: Traced, end: { how: string; exitCode?: number | null; signal?: number }): void {
  expect(r.store.problem).toBeNull();
  expect(r.store.processes[0].end).toMatchObject(end);
}

function expectSame(r: Traced): void {
  expect(r.traced.stdout.equals(r.plain.stdout)).toBe(true);
  expect(r.stderr.script.toString("latin1")).toBe(r.plain.stderr.toString("latin1"));
  expect(r.traced.code).toBe(cliCode(r.plain));
  expect(r.leftovers).toEqual([]);
}

describe.concurrent.each(pythons)("Python %s", (_version, python) => {
  it("a script that never ends is stopped by --timeout: partial output, the trace up to the kill, no process left", async () => {
    // Untraced, the same script is stopped by SIGTERM once it has printed (what --timeout sends).
    const r = await both(python, "never_ends.py", [], {
      cliArgs: ["--timeout", "2"],
      signalAt: { text: "running\n", signal: "SIGTERM", plainOnly: true },
    });
    expect(r.plain.signal).toBe("SIGTERM");
    expect(r.plain.stdout.toString()).toBe("running\n");
    expect(r.traced.stdout.equals(r.plain.stdout)).toBe(true);
    expect(r.stderr.script.length).toBe(0);
    expect(r.traced.code).toBe(128 + 15);
    expect(r.stderr.ours).toMatch(/gil-timeline: timed out after 2 s; the process tree was killed/);
    expect(r.stderr.ours).toMatch(/killed by signal 15 \(SIGTERM\)/);
    // The tracer's SIGTERM handler wrote the end chunk: a whole trace, ended by the signal.
    expectEnd(r, { how: "signal", signal: 15, exitCode: null });
    expect(r.summary.script).toMatchObject({ exitCode: null, signal: 15 });
    expect(r.summary.processes[0].threads.map((t) => t.name)).toContain("spinner");
    expect(r.leftovers).toEqual([]);
  });

  it("a script that never ends is cancelled through runTracer's abort signal", async () => {
    const { result, leftovers } = await traceAndStop(python, ["never_ends.py"], "running\n", "signal");
    expect(result.cancelled).toBe(true);
    expect(result.signal).toBe("SIGTERM");
    expect(result.model.problem).toBeNull();
    expect(result.model.processes[0]).toMatchObject({ exitCode: null, signal: 15 });
    expect(result.model.threads.map((t) => t.name)).toContain("spinner");
    expect(leftovers).toEqual([]);
  });

  it("reads stdin: 300 KB of arbitrary bytes piped through, and an immediate EOF", async () => {
    const input = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7919 + (i >> 8)) & 0xff));
    const piped = await both(python, "reads_stdin.py", [], { stdin: input });
    expect(piped.plain.stdout.subarray(0, 40).toString()).toMatch(/^read 300000 bytes/);
    expectSame(piped);
    const eof = await both(python, "reads_stdin.py", [], { stdin: "none" });
    expect(eof.plain.stdout.toString()).toBe("read 0 bytes, 0 lines\n");
    expectSame(eof);
    expectEnd(eof, { how: "exit", exitCode: 0 });
  });

  it("prints 5 MB to stdout and stderr at once: no pipe deadlock, byte-exact output", async () => {
    const r = await both(python, "floods_output.py", ["5"]);
    expect(r.plain.stdout.length).toBeGreaterThanOrEqual(5 * 1024 * 1024);
    expect(r.plain.stderr.length).toBeGreaterThanOrEqual(5 * 1024 * 1024);
    expectSame(r);
    expectEnd(r, { how: "exit", exitCode: 0 });
  });

  it("writes for ever into a reader that goes away (| head): a broken pipe ends it, the CLI does not crash", async () => {
    const r = await both(python, "endless_output.py", [], { headBytes: 100 });
    expect(r.plain.code).toBe(1);
    expect(r.traced.code).toBe(r.plain.code);
    // Node's child pipes are socket pairs: closing one with data unread gives ECONNRESET, else EPIPE,
    // traced or not (which one is a race with the writer).
    const lastLine = (b: Buffer) => b.toString().trimEnd().split("\n").at(-1);
    for (const stderr of [r.plain.stderr, r.stderr.script]) expect(lastLine(stderr)).toMatch(/^(BrokenPipeError|ConnectionResetError): /);
    expect(r.stderr.ours).toMatch(/exit code 1/);
    expectEnd(r, { how: "exception", exitCode: 1 });
    expect(r.leftovers).toEqual([]);
  });

  it("prints invalid UTF-8 and terminal escapes: the bytes pass through unchanged", async () => {
    const r = await both(python, "odd_bytes.py", []);
    expect(r.plain.stdout.includes(Buffer.from([0xff, 0xfe]))).toBe(true);
    expect(r.plain.stdout.includes(Buffer.from("\x1b[2J"))).toBe(true);
    expectSame(r);
  });

  it("os._exit(3) from a thread: exit code 3, the trace says os._exit", async () => {
    const r = await both(python, "os_exit_thread.py", []);
    expect(r.plain.code).toBe(3);
    expectSame(r);
    expectEnd(r, { how: "os._exit", exitCode: 3 });
    expect(r.summary.script.exitCode).toBe(3);
  });

  it("an exception in a thread: the same traceback on stderr, the main thread's exit code, the thread's exception in the summary", async () => {
    const r = await both(python, "thread_crash.py", []);
    expect(r.plain.code).toBe(4);
    expect(r.plain.stderr.toString()).toMatch(/KeyError: 'missing key'/);
    expectSame(r);
    const crasher = r.summary.processes[0].threads.find((t) => t.name === "crasher");
    expect(crasher?.exception).toMatchObject({ type: "KeyError" });
    expect(r.stderr.ours).toMatch(/thread crasher raised KeyError/);
  });

  it("daemon threads still running at exit (spinning, sleeping, blocked on a lock) end with the process", async () => {
    const r = await both(python, "daemon_threads.py", []);
    expect(r.plain.code).toBe(0);
    expectSame(r);
    expectEnd(r, { how: "exit", exitCode: 0 });
    const daemons = r.summary.processes[0].threads.filter((t) => t.daemon).map((t) => t.name);
    expect(daemons.sort()).toEqual(["blocked", "nap", "spin"]);
  });

  it("os.fork children leaving by os._exit(0) and sys.exit(6): the same output (no fork warning from the tracer's thread), a process per child", async () => {
    const r = await both(python, "forks.py", []);
    expect(r.plain.code).toBe(0);
    expect(r.plain.stdout.toString()).toMatch(/child via sys.exit exited 6/);
    expectSame(r);
    expect(r.store.problem).toBeNull();
    const [parent, ...children] = r.store.processes;
    expect(children.map((c) => c.header.parentPid)).toEqual([parent.header.pid, parent.header.pid]);
    expect(children.map((c) => c.end?.exitCode)).toEqual([0, 6]);
  });

  it("raises KeyboardInterrupt: the same traceback, finally runs, dies by SIGINT", async () => {
    const r = await both(python, "keyboard_interrupt.py", ["raise"]);
    expect(r.plain.signal).toBe("SIGINT");
    expect(r.plain.stdout.toString()).toBe("finally ran\n");
    expectSame(r);
    expectEnd(r, { how: "signal", signal: 2 });
    expect(r.stderr.ours).toMatch(/killed by signal 2 \(SIGINT\)/);
  });

  it("gets SIGINT (Ctrl-C at the terminal reaches the CLI): the script gets its KeyboardInterrupt as untraced", async () => {
    // A terminal's Ctrl-C signals the foreground process: python untraced, the CLI traced.
    const r = await both(python, "keyboard_interrupt.py", ["wait"], { signalAt: { text: "waiting for SIGINT\n", signal: "SIGINT" } });
    expect(r.plain.signal).toBe("SIGINT");
    expect(r.plain.stdout.toString()).toBe("waiting for SIGINT\nfinally ran\n");
    expect(r.traced.stdout.equals(r.plain.stdout)).toBe(true);
    expect(r.traced.code).toBe(130);
    // Where the interrupt lands (the sleep, the loop, the end of print) differs from run to run.
    for (const stderr of [r.plain.stderr, r.stderr.script]) expect(stderr.toString()).toMatch(/^Traceback \(most recent call last\):\n[^]*\nKeyboardInterrupt\n$/);
    expect(r.stderr.script.toString()).not.toMatch(/gil_timeline/);
    expectEnd(r, { how: "signal", signal: 2 });
    expect(r.leftovers).toEqual([]);
  });

  it("shrugs off SIGINT: the first Ctrl-C at the CLI only reaches the script, the second kills the tree", async () => {
    const mark = marker();
    let sent = 0;
    const r = await runCli(python, [], ["ignores_sigint.py", mark], {
      onStdout: (text, signal) => {
        // The second Ctrl-C only once the script has seen the first (two at once may merge into one).
        const ready = [/ignoring SIGINT\n/, /SIGINT ignored\n/][sent];
        if (!ready?.test(text)) return;
        sent++;
        signal("SIGINT");
      },
    });
    expect(r.stdout.toString()).toBe("ignoring SIGINT\nSIGINT ignored\n");
    const stderr = scriptStderr(r.stderr);
    expect(stderr.script.length).toBe(0);
    expect(stderr.ours).toMatch(/gil-timeline: cancelled; the process tree was killed/);
    expect(stderr.ours).toMatch(/killed by signal 15 \(SIGTERM\)/);
    expect(r.code).toBe(128 + 15);
    expect(await leftBehind(mark)).toEqual([]);
  });

  it("gets SIGINT through runTracer's interrupt signal", async () => {
    const { result, stdout, leftovers } = await traceAndStop(python, ["keyboard_interrupt.py", "wait"], "waiting for SIGINT\n", "interrupt");
    expect(stdout).toBe("waiting for SIGINT\nfinally ran\n");
    expect(result.signal).toBe("SIGINT");
    expect(result.cancelled).toBe(false);
    expect(result.stderrTail).toMatch(/^Traceback \(most recent call last\):\n[^]*\nKeyboardInterrupt\n$/);
    expect(result.model.processes[0]).toMatchObject({ signal: 2 });
    expect(leftovers).toEqual([]);
  });
});

it("3.12+ fork warning: shown when the program itself has threads, not because of the tracer's", async () => {
  // Every Python 3.12+ found: 3.12 warns after the after-fork hooks, 3.13 before them.
  for (const p of all.filter((p) => Number(p.version.split(".")[1]) >= 12)) {
    const r = await both(p.executable, "forks_threaded.py", []);
    const warning = (stderr: Buffer) => stderr.toString().replace(/\(pid=\d+\)/g, "(pid=N)");
    expect(warning(r.plain.stderr).match(/This process \(pid=N\) is multi-threaded, use of fork\(\)/g)).toHaveLength(1);
    expect(warning(r.stderr.script)).toBe(warning(r.plain.stderr));
    expect(r.traced.stdout.equals(r.plain.stdout)).toBe(true);
    expect(r.traced.code).toBe(0);
    expect(r.leftovers).toEqual([]);
  }
});
