// The compare page in headless Chromium on REAL runs: lab 02 at two switch intervals (newest
// CPython) and lab 04 on the oldest and newest CPython, through runVariants and the real model.
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { buildCompareView } from "../../src/panel/compareView";
import type { CompareView } from "../../src/protocol";
import { runVariants } from "../../src/run/variants";
import type { Variant } from "../../src/trace/compare";
import { testPythons } from "../helpers/pythons";
import { openWebview, SCREENSHOTS } from "./harness/browser";
import { EXAMPLES } from "./harness/realViews";
import { lastReveal, useBrowser } from "./harness/session";

const pythons = testPythons();
const oldest = pythons[0];
const newest = pythons[pythons.length - 1];
const browser = useBrowser();

async function compareOf(example: string, variants: Variant[]): Promise<CompareView> {
  const runs = await runVariants({ script: join(EXAMPLES, `${example}.py`), variants, defaultPython: newest.executable, timeoutS: 120 });
  for (const r of runs) expect(r.result.exitCode, r.result.stderrTail).toBe(0);
  return buildCompareView(`Compare ${example}`, runs.map((r) => ({ ...r, status: { state: "done" } })));
}

async function showCompare(compare: CompareView, shot: string) {
  const w = await openWebview(browser(), compare.title);
  await w.send({ type: "compare", compare });
  await w.page.waitForFunction(() => document.body.dataset.page === "compare");
  await w.page.waitForFunction((n) => document.querySelectorAll("canvas[data-area]").length === n, compare.runs.length);
  await w.page.screenshot({ path: join(SCREENSHOTS, `${shot}.png`), fullPage: true });
  expect(w.pageErrors).toEqual([]);
  expect(await w.cspViolations()).toEqual([]);
  return w;
}

const ranges = (page: Page) => page.locator("canvas[data-range]").evaluateAll((cs) => cs.map((c) => (c as HTMLCanvasElement).dataset.range));

describe("compare page", () => {
  it(`02_cpu_bound_threads at 1 ms and 20 ms on ${newest.version}: two labelled timelines, the table, zoom moves both`, async () => {
    const compare = await compareOf("02_cpu_bound_threads", [
      { label: "switch interval 1 ms", switchIntervalS: 0.001 },
      { label: "switch interval 20 ms", switchIntervalS: 0.02 },
    ]);
    const w = await showCompare(compare, `compare-02-${newest.version}`);
    const page = w.page;
    expect(await page.locator(".compare-run h2").allTextContents()).toEqual(["switch interval 1 ms", "switch interval 20 ms"]);
    expect(await page.locator(".compare-table thead th[data-run]").allTextContents()).toEqual(["switch interval 1 ms", "switch interval 20 ms"]);
    // One lane per thread in each run's chart.
    const lanes = await page.locator("canvas[data-lanes]").evaluateAll((cs) => cs.map((c) => Number((c as HTMLCanvasElement).dataset.lanes)));
    expect(lanes).toEqual(compare.runs.map((r) => r.view.lanes.length));
    // The table shows the model's rows, and marks the ones that differ.
    expect(await page.locator(".compare-table tbody tr").count()).toBe(compare.rows.length);
    const preempted = compare.rows.find((r) => r.key === "handoffs.preempted");
    expect(preempted?.differs).toBe(true);
    const cells = await page.locator('tr[data-key="handoffs.preempted"] td').allTextContents();
    expect(cells).toEqual(preempted?.values);
    expect(await page.locator('tr[data-key="handoffs.preempted"]').getAttribute("class")).toBe("differs");
    expect(await page.locator("tr.differs").count()).toBe(compare.rows.filter((r) => r.differs).length);
    // A shared axis: both charts span the longest run.
    const longest = Math.max(...compare.runs.map((r) => r.view.durationMs));
    for (const range of await ranges(page)) expect(range).toBe(`0,${longest}`);
    // Keyboard zoom on one timeline zooms the other to the same range.
    await page.locator(".compare-run .chart").first().focus();
    await page.keyboard.press("+");
    await page.keyboard.press("ArrowRight");
    const zoomed = await ranges(page);
    expect(zoomed[0]).not.toBe(`0,${longest}`);
    expect(zoomed[1]).toBe(zoomed[0]);
    await page.locator('button[data-action="reset"]').click();
    for (const range of await ranges(page)) expect(range).toBe(`0,${longest}`);
    await w.close();
  }, 240_000);

  it(`04_counter_sleep_race on ${oldest.version} and ${newest.version}: the race markers on both, output escaped as text`, async () => {
    const compare = await compareOf("04_counter_sleep_race", [
      { label: `Python ${oldest.version}`, python: oldest.executable },
      { label: `Python <b>${newest.version}</b>`, python: newest.executable },
    ]);
    const w = await showCompare(compare, `compare-04-${oldest.version}-${newest.version}`);
    const page = w.page;
    // A label is text, never markup.
    expect(await page.locator(".compare-run h2 b").count()).toBe(0);
    expect(await page.locator(".compare-run h2").nth(1).textContent()).toBe(`Python <b>${newest.version}</b>`);
    expect(await page.locator('tr[data-key="python"]').getAttribute("class")).toBe("differs");
    for (const text of await page.locator('tr[data-key="raceVariables"] td').allTextContents()) expect(text).toContain("counter");
    const markers = await page.locator("canvas[data-race-markers]").evaluateAll((cs) => cs.map((c) => Number((c as HTMLCanvasElement).dataset.raceMarkers)));
    for (const m of markers) expect(m).toBeGreaterThan(0);
    // The final output cell holds what the scripts printed.
    expect(await page.locator('tr[data-key="output"] td').allTextContents()).toEqual(compare.rows.find((r) => r.key === "output")?.values);
    expect(await lastReveal(w)).toBeUndefined();
    await w.close();
  }, 240_000);
});
