// Spawns real interpreters with and without the tracer and decodes the trace with the real decoder.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { decodeTrace } from "../../src/trace/decode";
import type { EventStore } from "../../src/trace/store";

export const TRACER = resolve(__dirname, "../../tracer/gil_timeline");
export const FIXTURES = resolve(__dirname, "fixtures");
export const EXAMPLES = resolve(__dirname, "../../examples");

export interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd?: string;
  input?: string;
  /** Called with each piece of stdout as it arrives, with the child (to signal it). */
  onStdout?: (text: string, kill: (signal: NodeJS.Signals) => void) => void;
}

export function run(python: string, args: string[], options: RunOptions = {}): Promise<Ran> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(python, args, { cwd: options.cwd ?? FIXTURES, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
      options.onStdout?.(stdout, (s) => child.kill(s));
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
    // A script that exits without reading its stdin closes the pipe: EPIPE is its right, not an error.
    child.stdin.on("error", () => undefined);
    child.stdin.end(options.input ?? "");
  });
}

export function tempTrace(): string {
  return join(mkdtempSync(join(tmpdir(), "gil-tracer-test-")), "t.trace");
}

/** Runs `args` (a script or -m module and its arguments) under the tracer. */
export async function runTraced(
  python: string,
  args: string[],
  options: RunOptions & { tracerArgs?: string[] } = {},
): Promise<{ ran: Ran; store: EventStore; out: string }> {
  const out = tempTrace();
  const ran = await run(python, [TRACER, "--out", out, ...(options.tracerArgs ?? []), ...args], options);
  const store = decodeTrace(new Uint8Array(readFileSync(out)));
  return { ran, store, out };
}

/** Event records of one process as small objects (tests only; the model never does this). */
export interface Ev {
  kind: number;
  flags: number;
  thread: number;
  a: number;
  b: number;
  /** As the decoder keeps it (ms from the process start). */
  ts: number;
}

export function events(store: EventStore, proc = 0): Ev[] {
  const evs: Ev[] = [];
  for (let i = 0; i < store.count; i++) {
    if (store.proc[i] !== proc) continue;
    evs.push({ kind: store.kind[i], flags: store.flags[i], thread: store.thread[i], a: store.a[i], b: store.b[i], ts: store.ts[i] });
  }
  return evs;
}
