// Runs a misbehaving script untraced (plain python) and traced (the real CLI bundle), with the
// output kept as bytes, and finds processes a run left behind by a marker in their argv.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { buildCli, ENTRY } from "../cli/cliRun";

export const SCRIPTS = resolve(__dirname, "scripts");

export interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: Buffer;
}

export interface SpawnOptions {
  /** Bytes piped to stdin (then EOF); "none" gives /dev/null. Default: an empty pipe (EOF at once). */
  stdin?: Buffer | "none";
  cwd?: string;
  /** Called with all stdout so far; `signal` signals the spawned process itself. */
  onStdout?: (stdout: string, signal: (s: NodeJS.Signals) => void) => void;
  /** Stop reading stdout (and close it) once this many bytes came, like `| head -c N`. */
  headBytes?: number;
}

function collect(file: string, args: string[], o: SpawnOptions): Promise<Ran> {
  return new Promise((done, fail) => {
    const child = spawn(file, args, { cwd: o.cwd ?? SCRIPTS, stdio: [o.stdin === "none" ? "ignore" : "pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on("data", (d: Buffer) => {
      out.push(d);
      o.onStdout?.(Buffer.concat(out).toString("latin1"), (s) => child.kill(s));
      if (o.headBytes !== undefined && Buffer.concat(out).length >= o.headBytes) child.stdout?.destroy();
    });
    child.stderr?.on("data", (d: Buffer) => err.push(d));
    child.on("error", fail);
    child.on("close", (code, signal) => done({ code, signal, stdout: Buffer.concat(out), stderr: Buffer.concat(err) }));
    if (child.stdin) {
      child.stdin.on("error", () => undefined); // a script may exit without reading it all
      child.stdin.end(o.stdin instanceof Buffer ? o.stdin : undefined);
    }
  });
}

export function runPlain(python: string, args: string[], o: SpawnOptions = {}): Promise<Ran> {
  return collect(python, args, o);
}

/** `gil-timeline trace --python PY [cliArgs...] args...` through the CLI bundle (as bin/gil-timeline.js). */
export async function runCli(python: string, cliArgs: string[], args: string[], o: SpawnOptions = {}): Promise<Ran> {
  await buildCli();
  return collect(process.execPath, [ENTRY, "trace", "--python", python, ...cliArgs, ...args], o);
}

/** A string to put in a run's argv, so its processes can be found afterwards. */
export function marker(): string {
  return `gil-mb-${randomBytes(6).toString("hex")}`;
}

/** Pids of live processes with `mark` in their command line. */
export function processesWith(mark: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`).toString("utf8").includes(mark)) found.push(Number(entry));
    } catch {
      // gone while we looked
    }
  }
  return found;
}

/**
 * The processes still running with `mark` after a grace period for ones being reaped right now
 * (no wall time is asserted: a real leftover stays forever, so waiting longer changes nothing).
 */
export async function leftBehind(mark: string, graceMs = 5000): Promise<number[]> {
  const until = Date.now() + graceMs;
  let pids = processesWith(mark);
  while (pids.length > 0 && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    pids = processesWith(mark);
  }
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL"); // do not leave them to the next test either
    } catch {
      // already gone
    }
  }
  return pids;
}

const SUMMARY_HEAD = Buffer.from("\n── GIL Timeline ──\n");

/**
 * The CLI's stderr without what the CLI itself adds: the summary at the end and its own
 * "gil-timeline: ..." lines just before it.
 */
export function scriptStderr(stderr: Buffer): { script: Buffer; ours: string } {
  const at = stderr.lastIndexOf(SUMMARY_HEAD);
  let script = at < 0 ? stderr : stderr.subarray(0, at);
  const ours: string[] = [at < 0 ? "" : stderr.subarray(at).toString("utf8")];
  for (;;) {
    const end = script.length > 0 && script[script.length - 1] === 0x0a ? script.length - 1 : script.length;
    const start = script.lastIndexOf(0x0a, end - 1) + 1;
    const line = script.subarray(start, end).toString("utf8");
    if (end === script.length || !line.startsWith("gil-timeline: ")) break;
    ours.unshift(line);
    script = script.subarray(0, start);
  }
  return { script, ours: ours.join("\n") };
}
