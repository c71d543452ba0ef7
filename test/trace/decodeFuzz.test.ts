// Issue 6, "Bad trace input": the decoder fuzzed with random mutations and truncations of REAL
// traces (made once per run by the real tracer). Complements fuzz.test.ts (random records in
// well-framed chunks) with damage to the framing itself; the properties are in test/trace/fuzz.ts.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeTrace } from "../../src/trace/decode";
import { Rec } from "../../src/trace/records";
import { testPythons } from "../helpers/pythons";
import { TraceWriter } from "./encode";
import { runFuzz, traceSeeds, type Seed } from "./fuzz";

let dir = "";
const seeds: Seed[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "gil-fuzz-"));
  seeds.push(...traceSeeds(testPythons()[0].executable, dir));
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the decoder on mutated real traces", () => {
  it("seeds are small real traces with several chunks and processes", () => {
    for (const s of seeds) {
      expect(s.bytes.length, s.name).toBeLessThan(64 * 1024);
      expect(s.chunks.length, s.name).toBeGreaterThan(2);
      expect(s.store.count, s.name).toBeGreaterThan(0);
    }
    expect(seeds.find((s) => s.name === "processes")?.store.processes.length).toBeGreaterThanOrEqual(2);
  });

  it("100 000 mutations: never throws, bounded, damage reported at its chunk", () => {
    const stats = runFuzz(seeds, 100_000, 1);
    expect(stats.cases).toBe(100_000);
    // The strong property (damage reported at exactly its chunk) was exercised, not only the weak ones.
    expect(stats.guarded).toBeGreaterThan(50_000);
    expect(stats.byProblem.corrupt).toBeGreaterThan(10_000);
    expect(stats.byProblem.truncated).toBeGreaterThan(1_000);
    expect(stats.byProblem.none).toBeGreaterThan(100);
  }, 60_000);

  it("a STR record with a negative length is corrupt, not an endless loop (found by this fuzzer)", () => {
    // b = -24 made the decoder step back to the same record forever.
    for (const len of [-24, -8, -1, -(2 ** 40)]) {
      const w = new TraceWriter().process(5);
      w.events(5, [{ kind: Rec.RUN, thread: 0, a: 1, ts: 10, b: 0 }]);
      const body = new Uint8Array(24);
      const v = new DataView(body.buffer);
      body[0] = Rec.STR;
      v.setUint32(4, 1, true);
      v.setUint32(16, len >>> 0, true);
      v.setInt32(20, Math.floor(len / 2 ** 32), true);
      const chunkAt = w.bytes().length;
      w.chunk(2, 5, body);
      const s = decodeTrace(w.bytes());
      expect(s.problem, String(len)).toMatchObject({ kind: "corrupt", byteOffset: chunkAt });
      expect(s.count).toBe(1);
    }
  });
});
