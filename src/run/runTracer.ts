// Runs a Python script under the tracer as a child process and follows its trace file as it grows.
// The child gets its own process group so a timeout or a cancel ends the whole tree.
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { TraceDecoder } from "../trace/decode";
import { ModelBuilder } from "../trace/model";
import type { EventStore } from "../trace/store";
import type { TraceModel } from "../trace/types";
import { TraceFollower } from "./follow";
import { killTree, signalGroup } from "./kill";
import { tracerDir } from "./tracerPath";

export interface RunOptions {
  python: string;
  /** The script to run, or `module` for `-m`. */
  script?: string;
  module?: string;
  args?: string[];
  cwd?: string;
  /** The trace file to write (replaced if it exists). */
  out: string;
  switchInterval?: number;
  timeoutS?: number;
  /** Folders traced at fine grain (default: the tracer's choice, the script's folder). */
  scope?: string[];
  /** Record shared-state accesses for the race analysis (default true). */
  races?: boolean;
  /**
   * The tracer's event limit (--max-events): past it the trace keeps the run's head, its tail and
   * the race-relevant records between them. Undefined or 0: no limit.
   */
  maxEvents?: number;
  /** The syscall sampler's period in µs (tracer/gil_timeline/sampler.py); 0 off; default the tracer's (1000, Linux only). */
  sampleUs?: number;
  env?: NodeJS.ProcessEnv;
  /** What the script reads as stdin: nothing (default) or a stream piped through (the CLI's own stdin). */
  stdin?: NodeJS.ReadableStream;
  onStdout?: (data: Buffer) => void;
  onStderr?: (data: Buffer) => void;
  /** Called whenever new records of the trace were decoded. */
  onProgress?: (progress: RunProgress) => void;
  /** Stops the run: the whole process tree is killed (SIGTERM, then SIGKILL after `graceMs`). */
  signal?: AbortSignal;
  /**
   * Interrupts the run the way Ctrl-C in a terminal does: SIGINT to the whole process group, so the
   * script gets its KeyboardInterrupt (finally blocks, traceback) and ends on its own.
   */
  interrupt?: AbortSignal;
  /**
   * Whoever reads the program's stdout has gone (the CLI piped into `head`): close the pipe, so the
   * program gets the broken pipe it gets untraced instead of writing into it for ever.
   */
  stdoutGone?: AbortSignal;
  pollMs?: number;
  /** Time between SIGTERM and SIGKILL when killing. */
  graceMs?: number;
}

export interface RunProgress {
  bytes: number;
  events: number;
  store: EventStore;
  /**
   * The model so far, for a live view: folds only the records new since the last call and skips
   * the race analysis (which the final model has), so calling it on every progress is cheap.
   */
  liveModel: () => TraceModel;
}

export interface RunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  cancelled: boolean;
  store: EventStore;
  model: TraceModel;
  /** The last part of the child's stderr (for reporting errors the trace does not hold). */
  stderrTail: string;
}

const STDERR_TAIL = 16_384;

/** The tracer's command line (argument array; never a shell string). */
export function tracerArgs(o: RunOptions): string[] {
  // The program ends with us: when the extension host or the CLI is killed, nothing else would stop it.
  const args = [tracerDir(), "--out", o.out, "--parent-pid", String(process.pid)];
  if (o.switchInterval !== undefined) args.push("--switch-interval", String(o.switchInterval));
  if (o.races === false) args.push("--no-races");
  if (o.maxEvents !== undefined && o.maxEvents > 0) args.push("--max-events", String(o.maxEvents));
  if (o.sampleUs !== undefined) args.push("--sample-us", String(o.sampleUs));
  for (const folder of o.scope ?? []) args.push("--scope", folder);
  if (o.module) args.push("-m", o.module);
  else if (o.script) args.push(o.script);
  else throw new Error("runTracer needs a script or a module");
  const rest = o.args ?? [];
  // The tracer drops one "--" after the script; keep a script's own leading "--".
  return rest[0] === "--" ? [...args, "--", ...rest] : [...args, ...rest];
}

export function runTracer(o: RunOptions): Promise<RunResult> {
  const args = tracerArgs(o);
  rmSync(o.out, { force: true }); // never follow a previous run's bytes
  const decoder = new TraceDecoder();
  const builder = new ModelBuilder();
  const liveModel = () => builder.feed(decoder.store).model(decoder.store, { races: false });
  const follower = new TraceFollower(o.out, decoder);
  const child = spawn(o.python, args, {
    cwd: o.cwd,
    env: o.env ?? process.env,
    detached: true,
    stdio: [o.stdin ? "pipe" : "ignore", "pipe", "pipe"],
  });
  let stderrTail = "";
  let timedOut = false;
  let cancelled = false;
  let cancelKill: (() => void) | null = null;
  const kill = () => {
    if (child.pid !== undefined && !cancelKill) cancelKill = killTree(child.pid, o.graceMs ?? 3000);
  };

  child.stdout?.on("data", (d: Buffer) => o.onStdout?.(d));
  child.stderr?.on("data", (d: Buffer) => {
    stderrTail = (stderrTail + d.toString("utf8")).slice(-STDERR_TAIL);
    o.onStderr?.(d);
  });
  if (o.stdin && child.stdin) {
    child.stdin.on("error", () => undefined); // the script may exit without reading all of it
    o.stdin.pipe(child.stdin);
  }

  const poll = setInterval(() => void follower.read().then(progress), o.pollMs ?? 200);
  let lastCount = -1;
  const progress = () => {
    if (decoder.store.count === lastCount) return;
    lastCount = decoder.store.count;
    o.onProgress?.({ bytes: decoder.store.bytes, events: decoder.store.count, store: decoder.store, liveModel });
  };
  const timer = o.timeoutS ? setTimeout(() => ((timedOut = true), kill()), o.timeoutS * 1000) : null;
  const onAbort = () => ((cancelled = true), kill());
  if (o.signal?.aborted) onAbort();
  o.signal?.addEventListener("abort", onAbort);
  const onInterrupt = () => child.pid !== undefined && signalGroup(child.pid, "SIGINT");
  o.interrupt?.addEventListener("abort", onInterrupt);
  const onStdoutGone = () => child.stdout?.destroy();
  o.stdoutGone?.addEventListener("abort", onStdoutGone);

  return new Promise<RunResult>((resolve, reject) => {
    child.on("error", (e) => {
      cleanup();
      reject(new Error(`cannot start ${o.python}: ${e.message}`));
    });
    // 'close' waits for stdout/stderr to end; a grandchild left running (a background process
    // the script started) can hold them open for ever, so stop reading shortly after the exit.
    child.on("exit", () => {
      setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
      }, o.graceMs ?? 3000).unref();
    });
    child.on("close", (code, signal) => {
      cleanup();
      void follower
        .read()
        .then(() => follower.close())
        .then(() => {
          progress();
          const store = decoder.finish();
          const model = builder.feed(store).model(store);
          resolve({ exitCode: code, signal, timedOut, cancelled, store, model, stderrTail });
        }, reject);
    });
  });

  function cleanup(): void {
    clearInterval(poll);
    if (timer) clearTimeout(timer);
    o.signal?.removeEventListener("abort", onAbort);
    o.interrupt?.removeEventListener("abort", onInterrupt);
    o.stdoutGone?.removeEventListener("abort", onStdoutGone);
    if (o.stdin && child.stdin) o.stdin.unpipe(child.stdin);
  }
}
