// The built webview in headless Chromium on views of REAL traces of the lab examples (real tracer,
// every CPython found for the CPU-bound lab; oldest and newest for the race labs).
// Screenshots land in test/webview/screenshots/ (gitignored).
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { testPythons } from "../helpers/pythons";
import { SCREENSHOTS } from "./harness/browser";
import { EXAMPLES, traceExample } from "./harness/realViews";
import { lastReveal, lineOf, show, useBrowser } from "./harness/session";

const pythons = testPythons();
const newest = pythons[pythons.length - 1];
const browser = useBrowser();

describe("lanes equal threads", () => {
  for (const py of pythons) {
    it(`02_cpu_bound_threads on ${py.version}: one lane per thread, the CPU-bound verdict`, async () => {
      const { model, view } = await traceExample(py.executable, "02_cpu_bound_threads");
      const w = await show(browser(), view, `02_cpu_bound_threads-${py.version}`);
      const names = await w.page.locator("[data-lane] .lane-name").allTextContents();
      expect(names.sort()).toEqual(model.threads.map((t) => t.name).sort());
      expect(await w.page.locator("canvas[data-lanes]").getAttribute("data-lanes")).toBe(String(model.threads.length));
      await expect.poll(() => w.page.locator(".verdict").textContent()).toMatch(/CPU-bound threads: no speed-up under the GIL/);
      await w.close();
    });
  }

  const verdicts: [string, RegExp | null][] = [
    ["01_sleeping_threads", /Blocking threads overlap/],
    ["03_counter_race", /CPU-bound threads/],
    ["04_counter_sleep_race", null],
    ["05_counter_locked", /Threads queue for a lock/],
  ];
  for (const [example, verdict] of verdicts) {
    it(`${example} on ${newest.version}`, async () => {
      const { model, view } = await traceExample(newest.executable, example, { races: true });
      const w = await show(browser(), view, `${example}-${newest.version}`);
      expect(await w.page.locator("[data-lane]").count()).toBe(model.threads.length);
      expect(model.threads.length).toBeGreaterThanOrEqual(5);
      if (verdict) expect(await w.page.locator(".verdict").textContent()).toMatch(verdict);
      await w.close();
    });
  }
});

describe("processes", () => {
  it(`06_processes_cpu on ${newest.version}: a GIL row per process, a lane per thread`, async () => {
    const { model, view } = await traceExample(newest.executable, "06_processes_cpu");
    expect(model.processes.length).toBeGreaterThan(1);
    const w = await show(browser(), view, `06_processes_cpu-${newest.version}`);
    expect(await w.page.locator("[data-lane]").count()).toBe(model.threads.length);
    expect(await w.page.locator(".lane-pid").count()).toBe(model.threads.length);
    expect(await w.page.locator(".verdict").textContent()).toMatch(/processes, each with its own GIL/);
    expect(await w.page.locator("section h2", { hasText: /^Process \d+/ }).count()).toBe(view.processes.length);
    await w.close();
  });
});

describe("race points (real traces)", () => {
  // The oldest interpreter can lose the update untraced, the newest cannot: both explainer verdicts.
  const ends = [pythons[0], newest];
  const counterLine = lineOf(join(EXAMPLES, "03_counter_race.py"), /^\s+counter \+= 1/);

  for (const py of ends) {
    it(`03_counter_race on ${py.version}: race markers; selecting the race reveals the counter line`, async () => {
      const { view } = await traceExample(py.executable, "03_counter_race", { races: true });
      const race = view.races.findIndex((r) => r.variable === "counter");
      expect(race).toBeGreaterThanOrEqual(0);
      const w = await show(browser(), view, `03_counter_race-race-${py.version}`);
      expect(Number(await w.page.locator("canvas[data-race-markers]").getAttribute("data-race-markers"))).toBeGreaterThan(0);
      await w.page.locator(`[data-race="${race}"]`).click();
      expect((await lastReveal(w))?.line).toBe(counterLine);
      const untraced = py.minor <= 9 ? /can happen/ : /cannot switch here/;
      expect(await w.page.locator(".explainer .untraced").textContent()).toMatch(untraced);
      expect(await w.page.locator(".explainer .step").count()).toBeGreaterThan(0);
      await w.page.screenshot({ path: join(SCREENSHOTS, `03_counter_race-explainer-${py.version}.png`), fullPage: true });
      await w.close();
    });

    it(`05_counter_locked on ${py.version}: no race marker`, async () => {
      const { view } = await traceExample(py.executable, "05_counter_locked", { races: true });
      const w = await show(browser(), view, null);
      expect(await w.page.locator("canvas[data-race-markers]").getAttribute("data-race-markers")).toBe("0");
      expect(await w.page.locator("[data-race]").count()).toBe(0);
      await w.close();
    });
  }
});

