// "GIL Timeline: Compare Runs…" in a real VS Code (code-server): the quick pick of variants, two real
// runs of the CPU-bound lab, and the compare panel in the real webview (real CSP, real theme).
import { describe, expect, it } from "vitest";
import { openFile, runCommand, screenshot, useCodeServer, webviewFrame } from "./harness";

const LAB = "02_cpu_bound_threads.py";

describe("the compare panel", () => {
  const vscode = useCodeServer();

  it("compares the CPU-bound lab at two switch intervals: two timelines under the table", async () => {
    const page = vscode.page;
    await openFile(page, LAB);
    await runCommand(page, "GIL Timeline: Compare Runs…");
    // The quick pick offers switch intervals and interpreters; a short 1 ms and a long 20 ms are picked.
    const quickPick = page.locator(".quick-input-widget");
    await quickPick.getByText(`Compare runs of ${LAB}`).waitFor({ timeout: 60_000 });
    await quickPick.locator(".monaco-list-row", { hasText: "switch interval 5 ms" }).first().waitFor();
    await page.keyboard.press("Enter");

    const frame = webviewFrame(page);
    await frame.locator('body[data-page="compare"]').waitFor({ timeout: 200_000 });
    expect(await frame.locator(".compare-run h2").allTextContents()).toEqual(["switch interval 1 ms", "switch interval 20 ms"]);
    await expect.poll(() => frame.locator("canvas[data-area]").count(), { timeout: 30_000 }).toBe(2);
    // MainThread plus the lab's four workers, in both runs.
    expect(await frame.locator("canvas[data-lanes]").evaluateAll((cs) => cs.map((c) => (c as HTMLCanvasElement).dataset.lanes))).toEqual(["5", "5"]);
    expect(await frame.locator('tr[data-key="switchIntervalMs"] td').allTextContents()).toEqual(["1 ms", "20 ms"]);
    expect(await frame.locator('tr[data-key="switchIntervalMs"]').getAttribute("class")).toBe("differs");
    const handoffs = await frame.locator('tr[data-key="handoffs"] td').allTextContents();
    expect(handoffs.map(Number).every((n) => n > 0)).toBe(true);
    expect(await frame.locator('tr[data-key="exitCode"] td').allTextContents()).toEqual(["0", "0"]);
    // Give the panel the whole window for the picture (docs/images/compare.png); the charts follow the size.
    const area = () => frame.locator("canvas[data-area]").first().getAttribute("data-area");
    const before = await area();
    await runCommand(page, "View: Maximize Editor Group and Hide Side Bars");
    await expect.poll(area, { timeout: 30_000 }).not.toBe(before);
    // Tall enough for the table and both timelines.
    await page.setViewportSize({ width: 1400, height: 1300 });
    const bottom = async () => {
      const box = await frame.locator(".compare-run").last().boundingBox();
      return box ? box.y + box.height : Infinity;
    };
    await expect.poll(bottom, { timeout: 30_000 }).toBeLessThanOrEqual(1300);
    await screenshot(page, "compare");
  });
});
