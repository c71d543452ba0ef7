// Chrome Trace Event export: real examples traced on the oldest and newest Python, exported, and
// checked against the format's rules; plus the CLI's --chrome writing the file.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromeTrace, chromeTraceJson, type ChromeEvent } from "../../src/trace/chromeTrace";
import type { TraceModel } from "../../src/trace/types";
import { testPythons } from "../helpers/pythons";
import { buildCli, cli } from "../cli/cliRun";
import { EXAMPLES, traceScript } from "./traceRun";

const all = testPythons();
const pythons = [all[0], all[all.length - 1]];

/** The format's rules, checked on the parsed JSON. Returns the events. */
function validate(text: string, model: TraceModel): ChromeEvent[] {
  const parsed: unknown = JSON.parse(text);
  expect(typeof parsed).toBe("object");
  const doc = parsed as { traceEvents: ChromeEvent[]; displayTimeUnit: string; otherData: Record<string, unknown> };
  expect(Array.isArray(doc.traceEvents)).toBe(true);
  expect(doc.displayTimeUnit).toBe("ms");
  expect(typeof doc.otherData).toBe("object");
  const events = doc.traceEvents;

  const processNames = new Set<number>();
  const threadNames = new Set<string>();
  for (const e of events) {
    expect(typeof e.name).toBe("string");
    expect(typeof e.ph).toBe("string");
    expect(Number.isInteger(e.pid)).toBe(true);
    expect(Number.isInteger(e.tid)).toBe(true);
    expect(typeof e.ts).toBe("number");
    expect(Number.isFinite(e.ts)).toBe(true);
    expect(e.ts).toBeGreaterThanOrEqual(0);
    if (e.ph === "M" && e.name === "process_name") processNames.add(e.pid);
    if (e.ph === "M" && e.name === "thread_name") {
      expect(typeof e.args?.name).toBe("string");
      threadNames.add(`${e.pid}:${e.tid}`);
    }
    if (e.ph === "X") {
      expect(typeof e.dur).toBe("number");
      expect(e.dur).toBeGreaterThanOrEqual(0);
    }
    if (e.ph === "i") expect(["t", "p", "g"]).toContain(e.s);
  }
  // Every pid/tid used by a non-metadata event has its name.
  for (const e of events) {
    if (e.ph === "M") continue;
    expect(processNames.has(e.pid)).toBe(true);
    expect(threadNames.has(`${e.pid}:${e.tid}`)).toBe(true);
  }
  // One named thread track per model thread.
  expect(threadNames.size).toBe(model.threads.length);
  // Flows: every start has exactly one finish with the same id and cat, not before it.
  const starts = events.filter((e) => e.ph === "s");
  const finishes = new Map<number, ChromeEvent>();
  for (const f of events.filter((e) => e.ph === "f")) {
    expect(f.id).toBeDefined();
    expect(finishes.has(f.id as number)).toBe(false);
    finishes.set(f.id as number, f);
  }
  expect(finishes.size).toBe(starts.length);
  for (const s of starts) {
    const f = finishes.get(s.id as number);
    expect(f).toBeDefined();
    expect(f?.cat).toBe(s.cat);
    expect(f?.ts).toBeGreaterThanOrEqual(s.ts);
  }
  // Running slices and the model's slice counts agree in kind: some GIL slices exist.
  expect(events.some((e) => e.ph === "X" && e.cat === "gil")).toBe(true);
  return events;
}

describe.each(pythons.map((p) => [p.version, p.executable]))("Chrome export on CPython %s", (_version, python) => {
  it("exports 02_cpu_bound_threads with slices, handoff flows and named threads", async () => {
    const { model } = await traceScript(python, join(EXAMPLES, "02_cpu_bound_threads.py"));
    const events = validate(chromeTraceJson(model), model);
    expect(model.threads.length).toBeGreaterThan(1);
    expect(events.filter((e) => e.ph === "s").length).toBeGreaterThan(0);
    // Waiting intervals are in their own category.
    expect(events.some((e) => e.ph === "X" && e.cat === "waiting")).toBe(true);
    // Every running slice of the model is one "gil" event.
    let running = 0;
    for (const tl of model.timelines.values()) for (const s of tl.state) if (s === 0) running++;
    expect(events.filter((e) => e.ph === "X" && e.cat === "gil").length).toBe(running);
    expect(chromeTrace(model).otherData.threads).toBe(model.threads.length);
    // Each flow start binds to a GIL slice of its (releasing) thread.
    const gil = events.filter((e) => e.ph === "X" && e.cat === "gil");
    for (const s of events.filter((e) => e.ph === "s")) {
      expect(gil.some((x) => x.pid === s.pid && x.tid === s.tid && x.ts <= s.ts && s.ts <= x.ts + (x.dur ?? 0))).toBe(true);
    }
  }, 60_000);

  it("exports 03_counter_race with race instants on the accessing threads", async () => {
    const { model } = await traceScript(python, join(EXAMPLES, "03_counter_race.py"));
    expect(model.races.length).toBeGreaterThan(0);
    const events = validate(chromeTraceJson(model), model);
    const races = events.filter((e) => e.ph === "i" && e.cat === "race");
    expect(races.length).toBeGreaterThan(0);
    const variables = new Set(model.races.map((r) => r.variable));
    for (const r of races) {
      expect(r.s).toBe("t");
      expect(variables.has(String(r.args?.variable))).toBe(true);
      expect(["lost-update", "unsynchronized"]).toContain(r.args?.kind);
    }
    // Blocked intervals, when any, carry their kind.
    for (const e of events.filter((x) => x.ph === "X" && x.cat === "blocked")) expect(typeof e.args?.blockKind).toBe("string");
  }, 60_000);
});

describe("gil-timeline --chrome", () => {
  let dir = "";
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "gil-chrome-cli-"));
    await buildCli();
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("writes the Chrome JSON from trace and from summary", async () => {
    const python = pythons[pythons.length - 1].executable;
    const chrome = join(dir, "live.json");
    const out = join(dir, "t.trace");
    const r = await cli(["trace", "--python", python, "--out", out, "--chrome", chrome, join(EXAMPLES, "03_counter_race.py")]);
    expect(r.code).toBe(0);
    const live = JSON.parse(readFileSync(chrome, "utf8")) as { traceEvents: ChromeEvent[] };
    expect(live.traceEvents.some((e) => e.ph === "X")).toBe(true);
    expect(live.traceEvents.some((e) => e.ph === "i" && e.cat === "race")).toBe(true);

    const saved = join(dir, "saved.json");
    const s = await cli(["summary", out, "--chrome", saved]);
    expect(s.code).toBe(0);
    const fromSaved = JSON.parse(readFileSync(saved, "utf8")) as { traceEvents: ChromeEvent[] };
    expect(fromSaved.traceEvents.filter((e) => e.ph === "M").length).toBe(live.traceEvents.filter((e) => e.ph === "M").length);
  }, 60_000);
});
