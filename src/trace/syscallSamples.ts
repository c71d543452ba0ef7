// The syscall sampler's view of a process (tracer/gil_timeline/sampler.py, chunk kind 4 in
// docs/trace-format.md): per native thread id, the moments its state changed between running and
// waiting in a system call. The tracer writes BLOCK_EXIT only once a thread holds the GIL again, so
// a blocked bar also covers the wait for the GIL after the call returned; the samples show where that
// wait began (the thread left its sleep, read or lock and went to wait in futex() on the GIL).
import type { ThreadTimeline } from "./types";
import { BLOCKED, WAITING } from "./intervals";

/** State changes of one thread: parallel arrays in time order. */
export interface ThreadSamples {
  /** perf_counter_ns of the sample that saw the change. */
  ns: number[];
  /** System call number (per `machine`), or -1 running (not in a system call). */
  syscall: number[];
  /** The call's first argument (futex: the address waited on). */
  arg: number[];
}

export interface ProcessSamples {
  pid: number;
  /** 1 x86_64, 2 aarch64, 0 other (then futex waits cannot be recognised). */
  machine: number;
  threads: Map<number, ThreadSamples>;
}

const PREFIX_BYTES = 8;
const SAMPLE_BYTES = 24;
const RUNNING = -1;
/** futex(2) by machine code. */
const FUTEX: Record<number, number> = { 1: 202, 2: 98 };

/** Adds a samples chunk's payload to `into` (keyed by the sampled pid). Throws on a malformed payload. */
export function addSamplesChunk(view: DataView, start: number, end: number, into: Map<number, ProcessSamples>): void {
  if (end - start < PREFIX_BYTES || (end - start - PREFIX_BYTES) % SAMPLE_BYTES !== 0) {
    throw new Error(`a samples chunk of ${end - start} bytes is not an 8-byte prefix plus 24-byte samples`);
  }
  const pid = view.getUint32(start, true);
  let proc = into.get(pid);
  if (!proc) {
    proc = { pid, machine: view.getUint32(start + 4, true), threads: new Map() };
    into.set(pid, proc);
  }
  for (let p = start + PREFIX_BYTES; p < end; p += SAMPLE_BYTES) {
    const tid = view.getUint32(p + 8, true);
    let th = proc.threads.get(tid);
    if (!th) {
      th = { ns: [], syscall: [], arg: [] };
      proc.threads.set(tid, th);
    }
    th.ns.push(view.getUint32(p, true) + view.getInt32(p + 4, true) * 4294967296);
    th.syscall.push(view.getInt32(p + 12, true));
    th.arg.push(view.getUint32(p + 16, true) + view.getUint32(p + 20, true) * 4294967296);
  }
}

/**
 * Where, inside each blocked interval, the thread was already back from its blocking call and waiting
 * for the GIL: the first futex wait on another address than the blocking call's own (a sleep or read is
 * not a futex wait at all; a lock's wait is, on the lock's address), when nothing but such waits and
 * running moments follow until the interval ends. Returns the timeline with those tails turned into
 * waiting intervals, and the milliseconds moved from blocked to waiting.
 */
export function splitGilWaits(
  tl: ThreadTimeline, samples: ThreadSamples, machine: number, toMs: (ns: number) => number,
): { timeline: ThreadTimeline; movedMs: number } {
  const futex = FUTEX[machine];
  const n = tl.start.length;
  if (futex === undefined || samples.ns.length === 0 || n === 0) return { timeline: tl, movedMs: 0 };
  const ms = samples.ns.map(toMs);
  const cuts = new Map<number, number>(); // interval index -> where its GIL wait began
  let j = 0;
  for (let i = 0; i < n; i++) {
    if (tl.state[i] !== BLOCKED) continue;
    const s = tl.start[i];
    const e = tl.end[i];
    while (j < ms.length && ms[j] <= s) j++;
    const cut = gilWaitStart(ms, samples, j, e, futex);
    if (cut !== null) cuts.set(i, cut);
  }
  if (cuts.size === 0) return { timeline: tl, movedMs: 0 };
  return splitAt(tl, cuts);
}

/** Among the samples from index `from` with time < `end`: where the GIL wait began, or null. */
function gilWaitStart(ms: number[], samples: ThreadSamples, from: number, end: number, futex: number): number | null {
  let blocking = -1; // index of the blocking call's first sample
  let cut: number | null = null;
  for (let k = from; k < ms.length && ms[k] < end; k++) {
    const call = samples.syscall[k];
    if (call === RUNNING) continue;
    if (blocking < 0) {
      blocking = k;
      continue;
    }
    const sameWait = call === samples.syscall[blocking] && samples.arg[k] === samples.arg[blocking];
    if (call === futex && !sameWait) {
      if (cut === null) cut = ms[k];
    } else {
      cut = null; // back in a blocking call (a loop of sleeps, a retried read): not yet the GIL
      if (!sameWait) blocking = k;
    }
  }
  return cut;
}

function splitAt(tl: ThreadTimeline, cuts: Map<number, number>): { timeline: ThreadTimeline; movedMs: number } {
  const n = tl.start.length + cuts.size;
  const out: ThreadTimeline = {
    start: new Float64Array(n), end: new Float64Array(n), state: new Uint8Array(n),
    blockKind: new Uint8Array(n), site: new Int32Array(n),
  };
  let movedMs = 0;
  let o = 0;
  const copy = (i: number, start: number, end: number, state: number, kind: number): void => {
    out.start[o] = start;
    out.end[o] = end;
    out.state[o] = state;
    out.blockKind[o] = kind;
    out.site[o] = tl.site[i];
    o++;
  };
  for (let i = 0; i < tl.start.length; i++) {
    const cut = cuts.get(i);
    if (cut === undefined) {
      copy(i, tl.start[i], tl.end[i], tl.state[i], tl.blockKind[i]);
      continue;
    }
    copy(i, tl.start[i], cut, BLOCKED, tl.blockKind[i]);
    copy(i, cut, tl.end[i], WAITING, 0);
    movedMs += tl.end[i] - cut;
  }
  return { timeline: out, movedMs };
}
