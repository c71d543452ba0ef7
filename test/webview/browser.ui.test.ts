// The built webview's interaction in headless Chromium: race explainer, HTML-looking names, keyboard,
// clicks, highlight, zoom, live updates and cancel, theme. Real traces except the explainer's race.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildTimelineView } from "../../src/panel/viewModel";
import { testPythons } from "../helpers/pythons";
import { openWebview, SCREENSHOTS } from "./harness/browser";
import { EXAMPLES, traceExample, traceScript } from "./harness/realViews";
import { lastReveal, lineOf, show, useBrowser } from "./harness/session";
import { counterRace, makeModel, site } from "./fixtures";

const pythons = testPythons();
const newest = pythons[pythons.length - 1];
const browser = useBrowser();

describe("race explainer (hand-made race on a hand-made model)", () => {
  const race = counterRace();
  const model = makeModel(
    [
      { name: "MainThread", index: 0, intervals: [[0, 10, 2, 3]] },
      { name: "a", index: 1, target: site(5), intervals: [[0, 5, 0], [5, 10, 1]] },
      { name: "b", index: 2, target: site(5), intervals: [[0, 5, 1], [5, 10, 0]] },
    ],
    { races: [race] },
  );

  it("shows markers, selects with the keyboard, marks the lost update and reveals the write", async () => {
    const w = await show(browser(), buildTimelineView(model, { title: "race" }), "race-explainer");
    expect(await w.page.locator("canvas[data-race-markers]").getAttribute("data-race-markers")).toBe("2");
    await w.page.locator('[data-race="0"]').focus();
    await w.page.keyboard.press("Enter");
    expect(await lastReveal(w)).toEqual({ type: "reveal", file: "/lab/race.py", line: 8 });
    expect((await w.posted()).some((m) => m.type === "selectRace" && m.index === 0)).toBe(true);
    expect(await w.page.locator(".explainer .step").count()).toBe(3);
    expect(await w.page.locator(".explainer .step.lost").count()).toBe(2);
    expect(await w.page.locator(".explainer").textContent()).toMatch(/can happen.*Fix: guard lines 7-8/s);
    await w.page.screenshot({ path: join(SCREENSHOTS, "race-explainer-selected.png"), fullPage: true });
    // A live update keeps the selection, the explainer and the keyboard focus.
    await w.send({ type: "model", view: buildTimelineView(model, { title: "race" }) });
    expect(await w.page.locator('[data-race="0"]').getAttribute("aria-selected")).toBe("true");
    expect(await w.page.locator(".explainer .step").count()).toBe(3);
    expect(await w.page.evaluate(() => (document.activeElement as HTMLElement).dataset.race)).toBe("0");
    await w.close();
  });
});

describe("handoff marks (hand-made model)", () => {
  it("clicking a handoff between two lanes reveals where the GIL was let go", async () => {
    const model = makeModel(
      [
        { name: "a", index: 1, intervals: [[0, 5, 0], [5, 10, 1]] },
        { name: "b", index: 2, intervals: [[0, 5, 1], [5, 10, 0]] },
      ],
      { handoffs: [{ timeMs: 5, pid: 100, from: "100:1", to: "100:2", reason: "preempted", site: site(42, "spin") }] },
    );
    const view = buildTimelineView(model, { title: "handoff" });
    const w = await show(browser(), view, null);
    const canvas = w.page.locator(".chart canvas");
    const [left, top, right, bottom] = ((await canvas.getAttribute("data-area")) ?? "").split(",").map(Number);
    const [min, max] = ((await canvas.getAttribute("data-range")) ?? "").split(",").map(Number);
    // Rows: GIL, a, b. The mark runs from a's centre to b's; click half-way, on the line.
    const x = left + ((5 - min) / (max - min)) * (right - left);
    const y = top + (2 * (bottom - top)) / 3;
    await canvas.click({ position: { x, y } });
    expect(await lastReveal(w)).toEqual({ type: "reveal", file: "/lab/script.py", line: 42 });
    await w.close();
  });
});

describe("interaction on a real trace", () => {
  it("a thread and its target function named like HTML are shown as text", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gt-xss-"));
    const script = join(dir, "xss.py");
    const evil = "<img src=x onerror=alert(1)>";
    // The target's code object renamed (co_name, and co_qualname on 3.11+): the name the trace records.
    const evilFunction = "<img src=x onerror=alert(5)>`[x](https://e.example)";
    writeFileSync(
      script,
      `import threading, time\n\ndef work():\n    time.sleep(0.01)\n\n` +
        `extra = {"co_qualname": ${JSON.stringify(evilFunction)}} if hasattr(work.__code__, "co_qualname") else {}\n` +
        `work.__code__ = work.__code__.replace(co_name=${JSON.stringify(evilFunction)}, **extra)\n` +
        `t = threading.Thread(target=work, name=${JSON.stringify(evil)})\nt.start()\nt.join()\n`,
    );
    try {
      const { model, view } = await traceScript(newest.executable, script);
      expect(model.threads.find((t) => t.name === evil)?.target?.function).toBe(evilFunction);
      const w = await show(browser(), view, "xss-thread-name");
      expect(await w.page.locator(".lane-name", { hasText: evil }).count()).toBe(1);
      expect(await w.page.locator(".lane-target").allTextContents()).toEqual([`${evilFunction}()`]);
      expect(await w.page.locator('[data-lane][aria-label*="onerror=alert(5)"]').count()).toBe(1);
      expect(await w.page.locator("img, a").count()).toBe(0);
      expect(w.pageErrors).toEqual([]);
      await w.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("lanes are reachable with arrows; Enter reveals the thread's target", async () => {
    const { view } = await traceExample(newest.executable, "01_sleeping_threads");
    const w = await show(browser(), view, null);
    await w.page.locator('[data-lane="0"]').focus();
    await w.page.keyboard.press("ArrowDown");
    const focused = await w.page.evaluate(() => (document.activeElement as HTMLElement).dataset.lane);
    expect(focused).toBe("1");
    const lane = view.lanes[1];
    expect(await w.page.locator('[data-lane="1"]').getAttribute("aria-label")).toContain(lane.name);
    await w.page.keyboard.press("Enter");
    const target = lane.targetSite;
    expect(target).not.toBeNull();
    expect(await lastReveal(w)).toEqual({ type: "reveal", file: target?.file, line: target?.line });
    expect(target?.line).toBe(lineOf(join(EXAMPLES, "01_sleeping_threads.py"), new RegExp(`def ${target?.function.split(".").at(-1)}\\(`)));
    await w.close();
  });

  it("clicking a slice on the chart reveals where it ran", async () => {
    const { view } = await traceExample(newest.executable, "02_cpu_bound_threads");
    const w = await show(browser(), view, null);
    const lane = view.lanes.findIndex((l) => l.index === 1);
    const iv = view.lanes[lane].intervals;
    let pick = -1;
    for (let i = 0; i < iv.start.length; i++) {
      if (iv.state[i] === 0 && iv.site[i] >= 0 && (pick < 0 || iv.end[i] - iv.start[i] > iv.end[pick] - iv.start[pick])) pick = i;
    }
    expect(pick).toBeGreaterThanOrEqual(0);
    const canvas = w.page.locator(".chart canvas");
    const [left, top, right, bottom] = ((await canvas.getAttribute("data-area")) ?? "").split(",").map(Number);
    const [min, max] = ((await canvas.getAttribute("data-range")) ?? "").split(",").map(Number);
    const rows = view.processes.length + view.lanes.length;
    const row = 1 + view.processes[0].lanes.indexOf(lane);
    const x = left + (((iv.start[pick] + iv.end[pick]) / 2 - min) / (max - min)) * (right - left);
    const y = top + ((row + 0.5) * (bottom - top)) / rows;
    expect(((iv.end[pick] - iv.start[pick]) / (max - min)) * (right - left)).toBeGreaterThan(3);
    await canvas.click({ position: { x, y } });
    const site = view.sites[iv.site[pick]];
    expect(await lastReveal(w)).toEqual({ type: "reveal", file: site.file, line: site.line });
    await w.close();
  });

  it("highlights the events of an editor line, zooms with keys and wheel, resets", async () => {
    const { view } = await traceExample(newest.executable, "02_cpu_bound_threads");
    const w = await show(browser(), view, null);
    const used = view.lanes.flatMap((l) => l.intervals.site).find((s) => s >= 0);
    expect(used).toBeDefined();
    const s = view.sites[used ?? 0];
    await w.send({ type: "highlight", file: s.file, line: s.line });
    expect(Number(await w.page.evaluate(() => document.body.dataset.highlighted))).toBeGreaterThan(0);
    await w.send({ type: "highlight", file: s.file, line: 99_999 });
    expect(await w.page.evaluate(() => document.body.dataset.highlighted)).toBe("0");

    const range = () => w.page.locator("canvas.minimap").getAttribute("aria-valuetext");
    const full = await range();
    await w.page.locator(".chart").focus();
    await w.page.keyboard.press("+");
    const zoomed = await range();
    expect(zoomed).not.toBe(full);
    await w.page.keyboard.press("ArrowRight");
    expect(await range()).not.toBe(zoomed);
    await w.page.keyboard.press("0");
    expect(await range()).toBe(full);
    const box = await w.page.locator(".chart canvas").boundingBox();
    await w.page.mouse.move((box?.x ?? 0) + (box?.width ?? 0) / 2, (box?.y ?? 0) + (box?.height ?? 0) / 2);
    await w.page.mouse.wheel(0, -400);
    await expect.poll(range).not.toBe(full);
    // Drag pans (chartjs-plugin-zoom through hammer.js).
    const zoomedIn = await range();
    const cx = (box?.x ?? 0) + (box?.width ?? 0) / 2;
    const cy = (box?.y ?? 0) + (box?.height ?? 0) / 2;
    await w.page.mouse.move(cx, cy);
    await w.page.mouse.down();
    for (let i = 1; i <= 10; i++) await w.page.mouse.move(cx - 20 * i, cy);
    await w.page.mouse.up();
    await expect.poll(range).not.toBe(zoomedIn);
    await w.page.getByRole("button", { name: "Reset zoom" }).click();
    expect(await range()).toBe(full);
    await w.close();
  });

  it("fills in live as the trace streams and stays usable after cancel", async () => {
    const { view, partial } = await traceExample(newest.executable, "02_cpu_bound_threads", { live: true });
    expect(partial.length).toBeGreaterThan(1);
    const w = await openWebview(browser(), "live");
    await w.send({ type: "status", status: { state: "running" } });
    for (const p of partial) {
      await w.send({ type: "model", view: p });
      expect(await w.page.locator("[data-lane]").count()).toBe(p.lanes.length);
    }
    await w.send({ type: "status", status: { state: "cancelled" } });
    expect(await w.page.locator(".status").textContent()).toMatch(/Cancelled/);
    await w.send({ type: "model", view });
    expect(await w.page.locator("[data-lane]").count()).toBe(view.lanes.length);
    const before = await w.page.locator("canvas.minimap").getAttribute("aria-valuetext");
    await w.page.getByRole("button", { name: "Zoom in" }).click();
    expect(await w.page.locator("canvas.minimap").getAttribute("aria-valuetext")).not.toBe(before);
    expect(w.pageErrors).toEqual([]);
    await w.close();
  });

  it("follows a dark theme", async () => {
    const { view } = await traceExample(newest.executable, "04_counter_sleep_race");
    const w = await show(browser(), view, null);
    await w.page.evaluate(() => {
      const vars: Record<string, string> = {
        "--vscode-editor-background": "#1e1e1e",
        "--vscode-foreground": "#cccccc",
        "--vscode-charts-green": "#89d185",
        "--vscode-charts-yellow": "#cca700",
        "--vscode-charts-blue": "#3794ff",
      };
      for (const [k, v] of Object.entries(vars)) document.body.style.setProperty(k, v);
      document.body.classList.add("vscode-dark");
    });
    await w.page.waitForTimeout(100);
    await w.page.screenshot({ path: join(SCREENSHOTS, "04_counter_sleep_race-dark.png"), fullPage: true });
    expect(w.pageErrors).toEqual([]);
    await w.close();
  });
});
