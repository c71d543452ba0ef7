// Issue 5: a free-threaded build (GIL disabled) is drawn as parallel lanes with no GIL row and no
// "waiting for the GIL". No free-threaded CPython can be installed here, so this is tested against a
// RECORDED trace (test/fixtures/free-threaded/, how it was made is in its README), and against the
// same script traced live with the GIL on, which must still get its GIL row and its waits.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildTimelineView } from "../../src/panel/viewModel";
import { decodeTrace } from "../../src/trace/decode";
import { buildModel } from "../../src/trace/model";
import { summaryText } from "../../src/trace/summaryText";
import { summarize } from "../../src/trace/summary";
import { testPythons } from "../helpers/pythons";
import { ROOT } from "./harness/browser";
import { traceScript } from "./harness/realViews";
import { show, useBrowser } from "./harness/session";

const DIR = join(ROOT, "test/fixtures/free-threaded");
const browser = useBrowser();

function recorded() {
  const model = buildModel(decodeTrace(new Uint8Array(readFileSync(join(DIR, "four_cpu_threads.trace")))));
  return { model, view: buildTimelineView(model, { title: "four_cpu_threads.py (free-threaded, recorded)" }) };
}

describe("a free-threaded process (recorded trace)", () => {
  it("the model: GIL disabled, no waiting, no handoffs; the summary and CLI text say so", () => {
    const { model } = recorded();
    expect(model.problem).toBeNull();
    const [p] = model.processes;
    expect(p.python).toMatchObject({ gilEnabled: false, freeThreaded: true });
    const workers = model.threads.filter((t) => t.name.startsWith("cpu-"));
    expect(workers).toHaveLength(4);
    for (const t of model.threads) expect(t.waitingMs).toBe(0);
    for (const t of workers) expect(t.runningMs).toBeGreaterThan(0);
    expect(model.handoffs).toEqual([]);
    expect(p.handoffs.total).toBe(0);
    expect(model.warnings.join("\n")).toMatch(/GIL disabled \(free-threaded\).*parallel lanes/);
    expect(summaryText(summarize(model))).toMatch(/GIL disabled \(free-threaded\)/);
  });

  it("the webview: a 'free-threaded: no GIL' label row instead of a GIL row, no waiting drawn", async () => {
    const { model, view } = recorded();
    const w = await show(browser(), view, "free-threaded-recorded");
    const canvas = w.page.locator("canvas[data-lanes]");
    expect(await canvas.getAttribute("data-row-kinds")).toBe(["noGil", ...model.threads.map(() => "lane")].join(" "));
    expect(await canvas.getAttribute("aria-label")).toMatch(/Free-threaded: no GIL, threads run in parallel/);
    expect(await w.page.locator("[data-lane]").count()).toBe(5);
    const waiting = await w.page.locator(".share-waiting").evaluateAll((els) => els.map((e) => (e as HTMLElement).style.width));
    expect(waiting).toHaveLength(5);
    for (const width of waiting) expect(width).toBe("0%");
    for (const text of await w.page.locator("[data-lane]").allTextContents()) {
      expect(text).toMatch(/running [\d.]+%/);
      expect(text).not.toMatch(/GIL [\d.]+%|waiting/);
    }
    expect(await w.page.locator(".facts").first().textContent()).toMatch(/free-threaded build: GIL disabled, threads run in parallel/);
    expect(await w.page.locator(".verdict").textContent()).toMatch(/Free-threaded build: no GIL/);
    await w.close();
  });
});

describe("the same script with the GIL (live, newest CPython)", () => {
  it("keeps its GIL row and its waits: the free-threaded drawing is only for GIL-less processes", async () => {
    const python = testPythons().at(-1)!.executable;
    const { model, view } = await traceScript(python, join(DIR, "four_cpu_threads.py"));
    expect(model.processes[0].python.gilEnabled).toBe(true);
    expect(model.threads.reduce((ms, t) => ms + t.waitingMs, 0)).toBeGreaterThan(0);
    const w = await show(browser(), view, null);
    const kinds = (await w.page.locator("canvas[data-lanes]").getAttribute("data-row-kinds"))!.split(" ");
    expect(kinds[0]).toBe("gil");
    expect(kinds).not.toContain("noGil");
    for (const text of await w.page.locator("[data-lane]").allTextContents()) expect(text).toMatch(/GIL [\d.]+% · waiting/);
    await w.close();
  });
});
