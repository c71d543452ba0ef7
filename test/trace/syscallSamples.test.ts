// The syscall sampler (tracer/gil_timeline/sampler.py) and how the model uses it: a sleeper next to
// CPU-bound threads must wait for the GIL after each sleep, and that wait, hidden inside the blocked
// bar by the tracer's own records, is split off as waiting. The split rule itself is checked on
// hand-made sample sequences, the decoder on damaged sample chunks.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { crc32 } from "../../src/trace/crc32";
import { decodeTrace } from "../../src/trace/decode";
import { BLOCKED, WAITING } from "../../src/trace/intervals";
import { buildModel } from "../../src/trace/model";
import { splitGilWaits, type ThreadSamples } from "../../src/trace/syscallSamples";
import type { ThreadTimeline } from "../../src/trace/types";
import { runTracer } from "../../src/run/runTracer";
import { testPythons } from "../helpers/pythons";
import { processesWith } from "../reliability/run";

const linux = process.platform === "linux";
const dir = mkdtempSync(join(tmpdir(), "gil-samples-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SLEEPER_AMONG_CPU = [
  "import threading, time",
  "def cpu():",
  "    end = time.perf_counter() + 0.8",
  "    while time.perf_counter() < end:",
  "        pass",
  "def sleeper():",
  "    for _ in range(40):",
  "        time.sleep(0.01)",
  "threads = [threading.Thread(target=cpu), threading.Thread(target=cpu), threading.Thread(target=sleeper, name='sleeper')]",
  "for t in threads: t.start()",
  "for t in threads: t.join()",
  "print('done')",
].join("\n");

describe.runIf(linux)("the syscall sampler on real runs", () => {
  const pythons = testPythons();
  const chosen = [pythons[0], pythons[pythons.length - 1]];
  for (const python of chosen) {
    it(`splits the GIL wait after each sleep off the blocked bar (${python.version})`, async () => {
      const script = join(dir, `sleeper_${python.version}.py`);
      writeFileSync(script, SLEEPER_AMONG_CPU);
      const out = join(dir, `sleeper_${python.version}.trace`);
      const result = await runTracer({ python: python.executable, script, out, races: false, sampleUs: 500, timeoutS: 120 });
      expect(result.exitCode).toBe(0);
      expect(result.stderrTail).not.toContain("Traceback");
      const store = decodeTrace(new Uint8Array(readFileSync(out)));
      expect(store.problem).toBeNull();
      const pid = store.processes[0].pid;
      expect(store.samples.get(pid)?.threads.size ?? 0).toBeGreaterThanOrEqual(4);

      const model = buildModel(store);
      const sleeper = model.threads.find((t) => t.name === "sleeper");
      expect(sleeper).toBeDefined();
      const tl = model.timelines.get(sleeper!.id)!;
      // A sleep bar followed at once by a waiting bar: the wait for the GIL after the sleep returned.
      let splits = 0;
      for (let i = 0; i + 1 < tl.state.length; i++) {
        if (tl.state[i] === BLOCKED && tl.state[i + 1] === WAITING && tl.end[i] === tl.start[i + 1]) splits++;
      }
      expect(splits).toBeGreaterThan(0);
      expect(sleeper!.waitingMs).toBeGreaterThan(0);

      // Without the sampler the same program shows no waiting time inside its sleeps to split.
      const plainOut = join(dir, `plain_${python.version}.trace`);
      await runTracer({ python: python.executable, script, out: plainOut, races: false, sampleUs: 0, timeoutS: 120 });
      const plain = decodeTrace(new Uint8Array(readFileSync(plainOut)));
      expect(plain.samples.size).toBe(0);

      // A damaged samples chunk appended after it: everything before stays, the offset is named.
      const bytes = readFileSync(out);
      const bad = samplesChunk(999_999, 0, new Uint8Array(8 + 16));
      const store2 = decodeTrace(new Uint8Array(Buffer.concat([bytes, bad])));
      expect(store2.problem?.kind).toBe("corrupt");
      expect(store2.problem?.byteOffset).toBe(bytes.length);
      expect(store2.problem?.message).toMatch(/samples chunk of 24 bytes/);
      expect(store2.count).toBe(store.count);
      const gap = decodeTrace(new Uint8Array(Buffer.concat([bytes, samplesChunk(999_999, 3, new Uint8Array(8))])));
      expect(gap.problem?.message).toMatch(/samples chunk sequence gap/);
    }, 180_000);
  }

  it("is no child of the program: os.wait() with no children still raises ChildProcessError", async () => {
    const python = chosen[0];
    const script = join(dir, "wait.py");
    writeFileSync(script, "import os\ntry:\n    os.wait()\nexcept ChildProcessError:\n    print('no children')\n");
    let stdout = "";
    const result = await runTracer({
      python: python.executable, script, out: join(dir, "wait.trace"), sampleUs: 500, timeoutS: 60,
      onStdout: (d) => (stdout += d.toString()),
    });
    expect(result.timedOut).toBe(false);
    expect(stdout).toBe("no children\n");
  }, 120_000);

  it("leaves no sampler process behind and changes nothing the program prints", async () => {
    const python = chosen[chosen.length - 1];
    const script = join(dir, "prints.py");
    writeFileSync(script, "import sys, threading\nt = threading.Thread(target=print, args=('from a thread',))\nt.start(); t.join()\nprint('out'); sys.stderr.write('err\\n'); sys.exit(3)\n");
    const out = join(dir, "prints.trace");
    let stdout = "";
    let stderr = "";
    const result = await runTracer({
      python: python.executable, script, out, sampleUs: 500, timeoutS: 120,
      onStdout: (d) => (stdout += d.toString()), onStderr: (d) => (stderr += d.toString()),
    });
    expect(result.exitCode).toBe(3);
    expect(stdout).toBe("from a thread\nout\n");
    expect(stderr).toBe("err\n");
    // The sampler's command line names the trace file; the traced process itself has ended.
    expect(processesWith(out)).toEqual([]);
  }, 120_000);
});

/** A kind-4 chunk as the sampler writes it (docs/trace-format.md). */
function samplesChunk(pid: number, seq: number, payload: Uint8Array): Buffer {
  const header = Buffer.alloc(24);
  header.write("GTCK", 0, "ascii");
  header.writeUInt8(4, 4);
  header.writeUInt32LE(pid, 8);
  header.writeUInt32LE(payload.length, 12);
  header.writeUInt32LE(crc32(payload), 16);
  header.writeUInt32LE(seq, 20);
  return Buffer.concat([header, payload]);
}

// Hand-made sequences for the split rule (x86_64 numbers: futex 202, clock_nanosleep 230, read 0).
const FUTEX = 202;
const SLEEP = 230;
const RUN = -1;

function oneBlocked(startMs: number, endMs: number): ThreadTimeline {
  return {
    start: Float64Array.from([0, startMs]), end: Float64Array.from([startMs, endMs]),
    state: Uint8Array.from([0, BLOCKED]), blockKind: Uint8Array.from([0, 1]), site: Int32Array.from([-1, 7]),
  };
}

function samples(...steps: [ms: number, call: number, arg?: number][]): ThreadSamples {
  return { ns: steps.map((s) => s[0] * 1e6), syscall: steps.map((s) => s[1]), arg: steps.map((s) => s[2] ?? 0) };
}

const split = (tl: ThreadTimeline, s: ThreadSamples, machine = 1) => splitGilWaits(tl, s, machine, (ns) => ns / 1e6);

describe("splitting the GIL wait off a blocked interval", () => {
  it("a sleep then a futex wait: waiting from the futex sample to the end", () => {
    const r = split(oneBlocked(10, 30), samples([11, SLEEP], [22, RUN], [23, FUTEX, 0xa0], [26, FUTEX, 0xa4]));
    expect([...r.timeline.state]).toEqual([0, BLOCKED, WAITING]);
    expect([...r.timeline.start]).toEqual([0, 10, 23]);
    expect([...r.timeline.end]).toEqual([10, 23, 30]);
    expect(r.timeline.blockKind[1]).toBe(1);
    expect(r.timeline.site[2]).toBe(7);
    expect(r.movedMs).toBe(7);
  });

  it("a lock's futex wait, then a futex wait on another address: the second is the GIL", () => {
    const r = split(oneBlocked(10, 30), samples([12, FUTEX, 0x50], [20, FUTEX, 0x50], [25, FUTEX, 0xa0]));
    expect([...r.timeline.start]).toEqual([0, 10, 25]);
    expect(r.movedMs).toBe(5);
  });

  it("only the lock's own address, or a futex wait seen first: nothing is split", () => {
    expect(split(oneBlocked(10, 30), samples([12, FUTEX, 0x50], [20, RUN], [21, FUTEX, 0x50])).movedMs).toBe(0);
    expect(split(oneBlocked(10, 30), samples([12, FUTEX, 0xa0])).movedMs).toBe(0);
  });

  it("back in the blocking call after a futex wait: the futex wait was not the last one", () => {
    const r = split(oneBlocked(10, 30), samples([11, SLEEP], [15, FUTEX, 0xa0], [16, SLEEP], [25, FUTEX, 0xa4]));
    expect([...r.timeline.start]).toEqual([0, 10, 25]);
  });

  it("samples outside the interval, an unknown machine, no samples: nothing is split", () => {
    expect(split(oneBlocked(10, 30), samples([5, SLEEP], [31, FUTEX, 0xa0])).movedMs).toBe(0);
    expect(split(oneBlocked(10, 30), samples([11, SLEEP], [23, FUTEX, 0xa0]), 0).movedMs).toBe(0);
    expect(split(oneBlocked(10, 30), samples()).movedMs).toBe(0);
  });
});
