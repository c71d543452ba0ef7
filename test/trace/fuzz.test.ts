// Bad input never breaks the model: well-framed chunks (valid CRC) full of random records, and
// process chunks with missing fields, decode and analyse without throwing.
import { describe, expect, it } from "vitest";
import { decodeTrace } from "../../src/trace/decode";
import { buildModel } from "../../src/trace/model";
import { Rec } from "../../src/trace/records";
import { summarize } from "../../src/trace/summary";
import { TraceWriter, type RecordSpec } from "./encode";
import { rng } from "./fuzz";

const KINDS = Object.values(Rec).filter((k) => k !== Rec.STR);

function randomRecords(r: () => number, n: number): RecordSpec[] {
  const pick = (k: number) => Math.floor(r() * k);
  let ts = 1e9;
  const out: RecordSpec[] = [];
  for (let i = 0; i < n; i++) {
    if (r() < 0.1) {
      out.push({ kind: Rec.STR, a: pick(6), text: "x".repeat(pick(20)) });
      continue;
    }
    ts += r() < 0.2 ? -pick(1e6) : pick(1e7); // sometimes out of order
    out.push({
      kind: r() < 0.95 ? KINDS[pick(KINDS.length)] : pick(256),
      flags: pick(20),
      thread: r() < 0.05 ? 0xffff : pick(5),
      a: pick(8),
      ts,
      b: r() < 0.5 ? pick(8) : pick(8) + pick(8) * 2 ** 32,
    });
  }
  return out;
}

describe("the model on random well-framed records", () => {
  it("never throws and keeps every timeline ordered", () => {
    for (let seed = 1; seed <= 150; seed++) {
      const r = rng(seed);
      const w = new TraceWriter().process(10, { startNs: 1e9 });
      for (let c = 0; c < 3; c++) w.events(10, randomRecords(r, 60));
      if (r() < 0.5) w.end(10, { endNs: 1e9 + Math.floor(r() * 1e9) });
      const model = buildModel(decodeTrace(w.bytes()));
      expect(() => JSON.stringify(summarize(model)), `seed ${seed}`).not.toThrow();
      for (const [id, tl] of model.timelines) {
        for (let i = 0; i < tl.start.length; i++) {
          expect(tl.end[i], `seed ${seed} ${id}`).toBeGreaterThan(tl.start[i]);
          if (i > 0) expect(tl.start[i], `seed ${seed} ${id}`).toBeGreaterThanOrEqual(tl.end[i - 1]);
        }
      }
    }
  });

  it("stops at a process chunk without its required fields", () => {
    const pad = (text: string) => Buffer.from(text.padEnd(Math.ceil(text.length / 8) * 8));
    for (const json of ['{"pid": 3}', "[1,2]", "null", '{"pid":3,"startNs":"soon","python":{}}', "{not json"]) {
      const w = new TraceWriter();
      w.chunk(1, 3, pad(json));
      const s = decodeTrace(w.bytes());
      expect(s.problem, json).toMatchObject({ kind: "corrupt", byteOffset: 16 });
      expect(() => buildModel(s)).not.toThrow();
    }
    const noEnd = new TraceWriter().process(3).events(3, []);
    noEnd.chunk(3, 3, pad('{"exitCode": 0}'));
    expect(decodeTrace(noEnd.bytes()).problem?.message).toMatch(/endNs/);
  });
});
