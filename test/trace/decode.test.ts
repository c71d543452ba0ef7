import { describe, expect, it } from "vitest";
import { TraceDecoder, decodeTrace } from "../../src/trace/decode";
import { Rec } from "../../src/trace/records";
import type { EventStore } from "../../src/trace/store";
import { TraceWriter, encodeRecords, type RecordSpec } from "./encode";

const BIG_TS = 7_000_000_000_123; // above 2^32: both halves matter

function defs(): RecordSpec[] {
  return [
    { kind: Rec.STR, a: 1, text: "/work/s.py" },
    { kind: Rec.STR, a: 2, text: "Worker.run" },
    { kind: Rec.STR, a: 3, text: "STORE_GLOBAL" },
    { kind: Rec.STR, a: 4, text: "zähler ✓" }, // multi-byte UTF-8, odd length
    { kind: Rec.CODE, a: 1, ts: 10, b: 1 + 2 * 2 ** 32 },
    { kind: Rec.SITE, a: 1, ts: 1 + 12 * 2 ** 32, b: 40 + 3 * 2 ** 32 },
  ];
}

function events(thread: number, from: number, n: number): RecordSpec[] {
  return Array.from({ length: n }, (_, i) => ({ kind: Rec.RUN, thread, a: 1, ts: BIG_TS + from + i, b: i }));
}

/** Two processes whose chunks interleave, 40 event records in all. */
function sample(): { w: TraceWriter; bytes: Uint8Array; recordsBefore: (offset: number) => number } {
  const w = new TraceWriter();
  const counts: [number, number][] = []; // [chunk end offset, records in chunk]
  const track = (n: number) => {
    const bytes = w.bytes();
    counts.push([bytes.length, n]);
  };
  w.process(100); track(0);
  w.events(100, [...defs(), { kind: Rec.THREAD_START, thread: 0, flags: 2, a: 4242, ts: BIG_TS, b: 4 }, ...events(0, 1, 9)]); track(10);
  w.process(200, { parentPid: 100 }); track(0);
  w.events(200, [...defs(), ...events(0, 0, 10)]); track(10);
  w.events(100, [...events(1, 20, 5), ...events(0, 30, 5)]); track(10);
  w.events(200, events(3, 40, 10)); track(10);
  w.end(200, { exitCode: 3 }); track(0);
  w.end(100); track(0);
  const bytes = w.bytes();
  const recordsBefore = (offset: number) => counts.filter(([end]) => end <= offset).reduce((s, [, n]) => s + n, 0);
  return { w, bytes, recordsBefore };
}

function columns(s: EventStore) {
  const n = s.count;
  return [s.kind, s.flags, s.thread, s.a, s.ts, s.b, s.proc].map((c) => Array.from(c.subarray(0, n)));
}

describe("TraceDecoder", () => {
  it("decodes headers, definitions and event records of interleaved processes", () => {
    const s = decodeTrace(sample().bytes);
    expect(s.problem).toBeNull();
    expect(s.count).toBe(40);
    expect(s.processes.map((p) => [p.pid, p.header.parentPid, p.end?.exitCode])).toEqual([[100, null, 0], [200, 100, 3]]);
    const p = s.processes[0];
    expect(p.string(4)).toBe("zähler ✓");
    expect(p.site(1)).toEqual({ file: "/work/s.py", line: 12, function: "Worker.run", offset: 40, instruction: "STORE_GLOBAL" });
    expect(p.codes[1].firstLine).toBe(10);
    // The first record is THREAD_START: definitions are not events.
    expect([s.kind[0], s.flags[0], s.thread[0], s.a[0], s.ts[0], s.b[0]]).toEqual([Rec.THREAD_START, 2, 0, 4242, BIG_TS, 4]);
    expect(s.ts[1]).toBe(BIG_TS + 1);
    expect(Array.from(s.proc.subarray(0, 40))).toEqual([...Array(10).fill(0), ...Array(10).fill(1), ...Array(10).fill(0), ...Array(10).fill(1)]);
    expect(p.records).toBe(20);
  });

  it("gives the same store whatever sizes the pieces arrive in", () => {
    const { bytes } = sample();
    const whole = columns(decodeTrace(bytes));
    for (const size of [1, 3, 8, 23, 24, 25, 100, 333]) {
      const d = new TraceDecoder();
      for (let i = 0; i < bytes.length; i += size) d.push(bytes.slice(i, i + size));
      const s = d.finish();
      expect(s.problem).toBeNull();
      expect(columns(s)).toEqual(whole);
    }
  });

  it("stops a file cut anywhere at the chunk it cuts, keeping every chunk before it", () => {
    const { w, bytes, recordsBefore } = sample();
    const boundaries = new Set([...w.chunkOffsets, bytes.length]);
    for (let cut = 0; cut < bytes.length; cut++) {
      const s = decodeTrace(bytes.subarray(0, cut));
      expect(s.count).toBe(recordsBefore(cut));
      if (boundaries.has(cut)) {
        expect(s.problem).toBeNull();
      } else {
        const at = cut < 16 ? 0 : Math.max(...w.chunkOffsets.filter((o) => o <= cut));
        expect(s.problem).toMatchObject({ kind: "truncated", byteOffset: at });
      }
    }
  });

  it("reports a damaged chunk as corrupt at its header and keeps what came before", () => {
    const { w, bytes, recordsBefore } = sample();
    for (const offset of w.chunkOffsets) {
      for (const at of [offset + 24, offset + 30, offset + 0, offset + 16]) {
        const damaged = bytes.slice();
        damaged[at] ^= 0x40;
        const s = decodeTrace(damaged);
        expect(s.problem?.kind).toBe("corrupt");
        expect(s.problem?.byteOffset).toBe(offset);
        expect(s.count).toBe(recordsBefore(offset));
      }
    }
    const damaged = bytes.slice();
    damaged[w.chunkOffsets[3] + 24] ^= 1;
    expect(decodeTrace(damaged).problem?.message).toMatch(/CRC/);
  });

  it("reports a sequence gap, events before a process chunk, and garbage lengths", () => {
    const gap = new TraceWriter().process(1).events(1, events(0, 0, 2));
    gap.chunk(2, 1, encodeRecords(events(0, 5, 1)), 5);
    const s = decodeTrace(gap.bytes());
    expect(s.problem).toMatchObject({ kind: "corrupt", byteOffset: gap.chunkOffsets[2] });
    expect(s.problem?.message).toMatch(/sequence/);
    expect(s.count).toBe(2);

    const orphan = decodeTrace(new TraceWriter().events(9, events(0, 0, 1)).bytes());
    expect(orphan.problem).toMatchObject({ kind: "corrupt", byteOffset: 16 });

    const bad = new TraceWriter().process(1).bytes();
    new DataView(bad.buffer).setUint32(16 + 12, 12, true); // not a multiple of 8
    expect(decodeTrace(bad).problem?.message).toMatch(/length/);
  });

  it("names a newer or older format version clearly", () => {
    const newer = decodeTrace(new TraceWriter(2).process(1).bytes());
    expect(newer.problem).toMatchObject({ kind: "version", byteOffset: 8 });
    expect(newer.problem?.message).toMatch(/version 2 is newer/);
    expect(decodeTrace(new TraceWriter(0).bytes()).problem?.message).toMatch(/older/);
    expect(decodeTrace(Buffer.from("#!/usr/bin/env python3\nprint(1)\n")).problem).toMatchObject({ kind: "corrupt", byteOffset: 0 });
  });

  it("ignores data pushed after a problem", () => {
    const d = new TraceDecoder();
    d.push(Buffer.from("NOTATRACE_______"));
    expect(d.push(sample().bytes)).toBe(0);
    expect(d.finish().count).toBe(0);
  });
});
