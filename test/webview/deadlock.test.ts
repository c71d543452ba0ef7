// The deadlock in the built webview (headless Chromium), on a real trace of lab 09 (newest CPython):
// both blocked lanes are marked, the side pane names the cycle, and the keyboard reaches it: Enter
// zooms to the deadlock and reveals where the first thread waits.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildTimelineView } from "../../src/panel/viewModel";
import { runTracer } from "../../src/run/runTracer";
import { testPythons } from "../helpers/pythons";
import { EXAMPLES, traceScript } from "./harness/realViews";
import { lastReveal, lineOf, show, useBrowser } from "./harness/session";

const pythons = testPythons();
const newest = pythons[pythons.length - 1];
const browser = useBrowser();
const LAB = join(EXAMPLES, "09_deadlock_two_locks.py");

async function traceLab09() {
  const dir = mkdtempSync(join(tmpdir(), "gt-webview-deadlock-"));
  try {
    const r = await runTracer({ python: newest.executable, script: LAB, out: join(dir, "run.trace"), races: false, timeoutS: 60 });
    expect(r.exitCode).toBe(1); // the lab says "deadlock" and fails
    return buildTimelineView(r.model, { title: "09_deadlock_two_locks.py" });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("a deadlock in the timeline", () => {
  it("marks the blocked lanes, names the cycle in the side pane, and Enter shows and reveals it", async () => {
    const view = await traceLab09();
    expect(view.deadlocks).toHaveLength(1);
    const w = await show(browser(), view, "09_deadlock_two_locks-deadlock");
    const canvas = w.page.locator(".chart canvas");
    expect(await canvas.getAttribute("data-deadlock-lanes")).toBe("2");
    const item = w.page.locator('[data-deadlock="0"]');
    const text = (await item.textContent()) ?? "";
    expect(text).toMatch(/deadlock: (left ⇄ right|right ⇄ left) on lock_\w\/lock_\w/);
    expect(text).toMatch(/left holds lock_a \(line \d+\) and waits for lock_b/);
    expect(text).toMatch(/right holds lock_b \(line \d+\) and waits for lock_a/);
    expect(text).toContain("when an acquire timed out");
    // The verdict is the deadlock, not "threads queue for a lock" nor "blocking threads overlap".
    const verdict = (await w.page.locator(".verdict").textContent()) ?? "";
    expect(verdict).toMatch(/Deadlock: .*The fix: take the locks in the same order/);
    expect(verdict).not.toMatch(/queue for a lock|overlap/);
    const range = async () => ((await canvas.getAttribute("data-range")) ?? "").split(",").map(Number);
    const d = view.deadlocks[0];
    // Zoom in until the view is narrower than the deadlock, so showing it has to change the view.
    await w.page.locator(".chart").focus();
    for (let i = 0; i < 6; i++) await w.page.keyboard.press("+");
    const [zMin, zMax] = await range();
    expect(zMax - zMin).toBeLessThan(d.untilMs - d.sinceMs);
    // Reachable by keyboard like race points: focus, Enter.
    await item.focus();
    await w.page.keyboard.press("Enter");
    expect(await item.getAttribute("aria-selected")).toBe("true");
    expect(await lastReveal(w)).toEqual({ type: "reveal", file: LAB, line: lineOf(LAB, /second\.acquire\(timeout/) });
    // The view now spans the whole deadlock.
    const [min, max] = await range();
    expect(min).toBeLessThanOrEqual(d.sinceMs);
    expect(max).toBeGreaterThanOrEqual(d.untilMs);
    expect(w.pageErrors).toEqual([]);
    await w.close();
  }, 90_000);

  it("a run with lock contention but no cycle has no deadlock section and no marks", async () => {
    const { view } = await traceScript(newest.executable, join(__dirname, "../trace/fixtures/deadlocks/ordered_locks.py"), { races: false });
    const w = await show(browser(), view, null);
    expect(await w.page.locator(".chart canvas").getAttribute("data-deadlock-lanes")).toBe("0");
    expect(await w.page.locator("[data-deadlock]").count()).toBe(0);
    await w.close();
  }, 90_000);
});
