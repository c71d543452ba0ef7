// The model and the summary of a run over its event limit: one gap, no thread interval or handoff
// across it, counts that agree with the tracer's. Real traces (oldest and newest CPython) and a
// hand-written killed run whose gap never closed.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import Ajv2020 from "ajv/dist/2020";
import { describe, expect, it } from "vitest";
import { decodeTrace } from "../../src/trace/decode";
import { chromeTrace } from "../../src/trace/chromeTrace";
import { buildModel } from "../../src/trace/model";
import { GapFlag, NO_THREAD, Rec } from "../../src/trace/records";
import { summarize } from "../../src/trace/summary";
import { summaryText } from "../../src/trace/summaryText";
import { testPythons } from "../helpers/pythons";
import { runTraced } from "../tracer/run";
import { TraceWriter } from "./encode";

const all = testPythons();
const pythons = [all[0], all[all.length - 1]].map((p) => [p.version, p.executable] as const);
const schema = JSON.parse(readFileSync(resolve(__dirname, "../../docs/summary-schema.json"), "utf8"));
const validate = new Ajv2020({ allErrors: true }).compile(schema);
const LIMIT = 2000;

describe.each(pythons)("a run over --max-events, Python %s", (_version, python) => {
  it("has one gap; no interval or handoff crosses it; summary JSON and text say what was dropped", async () => {
    const { store } = await runTraced(python, ["long_race.py"], { tracerArgs: ["--max-events", String(LIMIT)] });
    const end = store.processes[0].end;
    expect(end).toBeDefined();
    const model = buildModel(store);
    expect(model.gaps).toHaveLength(1);
    const [gap] = model.gaps;
    expect(gap.pid).toBe(store.processes[0].pid);
    expect(gap.limit).toBe(LIMIT);
    expect(gap.dropped).toBe(end?.dropped);
    expect(model.dropped).toBe(end?.dropped); // not DROPPED records plus the end count
    expect(Object.values(gap.byKind).reduce((n, v) => n + v, 0)).toBe(gap.dropped);
    expect(gap.fromMs).toBeGreaterThan(0);
    expect(gap.toMs).toBeGreaterThan(gap.fromMs);
    expect(gap.toMs).toBeLessThanOrEqual(model.durationMs);

    let before = 0;
    let after = 0;
    for (const [id, tl] of model.timelines) {
      for (let i = 0; i < tl.start.length; i++) {
        const crosses = tl.start[i] < gap.toMs && tl.end[i] > gap.fromMs;
        expect(crosses, `${id} interval ${tl.start[i]}-${tl.end[i]} crosses the gap ${gap.fromMs}-${gap.toMs}`).toBe(false);
        if (tl.end[i] <= gap.fromMs) before++;
        else after++;
      }
    }
    expect(before).toBeGreaterThan(0); // the head
    expect(after).toBeGreaterThan(0); // the tail
    expect(model.handoffs.filter((h) => h.timeMs > gap.fromMs && h.timeMs < gap.toMs)).toEqual([]);
    expect(model.races.map((r) => r.variable)).toContain("counter");

    const summary = summarize(model);
    expect(validate(summary), JSON.stringify(validate.errors)).toBe(true);
    expect(summary.trace.dropped).toBe(gap.dropped);
    expect(summary.trace.gaps).toHaveLength(1);
    expect(summary.trace.gaps[0].dropped).toBe(gap.dropped);
    expect(summaryText(summary)).toContain(`${gap.dropped} events dropped (limit ${LIMIT})`);
    const chromeGaps = chromeTrace(model).traceEvents.filter((e) => e.cat === "gap");
    expect(chromeGaps).toHaveLength(1);
    expect(chromeGaps[0].args?.dropped).toBe(gap.dropped);
    expect(chromeGaps[0].dur).toBeGreaterThan(0);
  });
});

describe("a gap that never closed (the run was killed before its end path)", () => {
  it("extends to the last record, with the DROPPED count and no counts by kind", () => {
    const T0 = 1_000_000_000;
    const ms = (x: number) => T0 + x * 1e6;
    const bytes = new TraceWriter()
      .process(5, { startNs: T0 })
      .events(5, [
        { kind: Rec.THREAD_START, thread: 0, flags: 2, ts: ms(0) },
        { kind: Rec.RUN, thread: 0, ts: ms(1) },
        { kind: Rec.GAP, flags: GapFlag.begin, thread: NO_THREAD, a: 10, ts: ms(4) },
        { kind: Rec.THREAD_START, thread: 1, ts: ms(5) },
        { kind: Rec.DROPPED, thread: NO_THREAD, a: 1234, ts: ms(6) },
        { kind: Rec.ACCESS, thread: 1, ts: ms(9) },
      ])
      .bytes();
    const model = buildModel(decodeTrace(bytes));
    expect(model.gaps).toEqual([{ pid: 5, fromMs: 4, toMs: 9, dropped: 1234, limit: 10, byKind: {} }]);
    expect(model.dropped).toBe(1234);
    const main = model.timelines.get("5:0");
    expect(main && Array.from(main.end)).toEqual([4]); // closed where the gap began
    expect(model.timelines.get("5:1")?.start.length).toBe(0); // seen only inside the gap
    expect(model.handoffs).toEqual([]);
  });
});
