// The timeline panel in a real VS Code (code-server): traced from the command palette, drawn in the
// real webview (real CSP, real theme), and a click in it moves the real editor.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openFile, reloadWindow, repoRoot, runCommand, screenshot, useCodeServer, webviewFrame } from "./harness";

const LAB = "02_cpu_bound_threads.py";

describe("the timeline panel", () => {
  const vscode = useCodeServer();

  it("traces the CPU-bound lab and shows one lane per thread with the verdict", async () => {
    await openFile(vscode.page, LAB);
    await runCommand(vscode.page, "GIL Timeline: Trace Current File");
    const frame = webviewFrame(vscode.page);
    await frame.locator('.status[data-state="done"]').waitFor({ timeout: 120_000 });
    // MainThread plus the lab's four workers.
    expect(await frame.locator("[data-lane]").count()).toBe(5);
    expect(await frame.locator(".verdict").textContent()).toMatch(/CPU-bound threads: no speed-up under the GIL/);
    expect(await frame.locator("canvas[data-lanes]").getAttribute("data-lanes")).toBe("5");
    await screenshot(vscode.page, "panel-02_cpu_bound_threads");
  });

  it("Enter on a lane opens the thread's target in the editor at its line", async () => {
    const frame = webviewFrame(vscode.page);
    const lane = frame.locator('[data-lane="1"]');
    await lane.focus();
    await lane.press("Enter");
    const target = readFileSync(join(repoRoot, "examples", LAB), "utf8").split("\n").findIndex((l) => /^def worker\(/.test(l)) + 1;
    expect(target).toBeGreaterThan(0);
    await expect
      .poll(() => vscode.page.locator("#status\\.editor\\.selection").textContent(), { timeout: 20_000 })
      .toMatch(new RegExp(`Ln ${target}\\b`));
    await screenshot(vscode.page, "panel-revealed-target");
  });

  it("comes back after a window reload (webview serializer, trace reloaded from disk)", async () => {
    await reloadWindow(vscode.page);
    const frame = webviewFrame(vscode.page);
    await expect.poll(() => frame.locator("[data-lane]").count(), { timeout: 120_000 }).toBe(5);
    expect(await frame.locator(".verdict").textContent()).toMatch(/CPU-bound threads/);
    await screenshot(vscode.page, "panel-restored");
  });

  it("a second panel for the racy counter: selecting its race opens the counter line", async () => {
    const race = "03_counter_race.py";
    await openFile(vscode.page, race);
    await runCommand(vscode.page, "GIL Timeline: Trace Current File");
    const frame = vscode.page.frameLocator("iframe.webview.ready").last().frameLocator("#active-frame");
    await frame.locator("h1", { hasText: race }).waitFor({ timeout: 120_000 });
    await frame.locator('.status[data-state="done"]').waitFor({ timeout: 120_000 });
    const item = frame.locator("[data-race]").first();
    await item.click();
    await frame.locator(".explainer .step").first().waitFor();
    const line = readFileSync(join(repoRoot, "examples", race), "utf8").split("\n").findIndex((l) => /^\s+counter \+= 1/.test(l)) + 1;
    await expect
      .poll(() => vscode.page.locator("#status\\.editor\\.selection").textContent(), { timeout: 20_000 })
      .toMatch(new RegExp(`Ln ${line}\\b`));
    // The lenses of the traced script show its figures (the picture in the README shows them too).
    await vscode.page.locator(".codelens-decoration a:visible").filter({ hasText: /^4 threads · / }).first().waitFor({ timeout: 30_000 });
    await screenshot(vscode.page, "panel-03_counter_race-explainer");
  });

  it("moving the editor's cursor to a line highlights that line's events in the timeline", async () => {
    const frame = vscode.page.frameLocator("iframe.webview.ready").last().frameLocator("#active-frame");
    const highlighted = () => frame.locator("body").getAttribute("data-highlighted");
    // A click on the racing line puts the cursor there (and the focus in that editor).
    await vscode.page.locator(".view-line:visible").filter({ hasText: "counter += 1" }).first().click();
    await expect.poll(highlighted, { timeout: 20_000 }).toMatch(/^[1-9]\d*$/);
    await vscode.page.keyboard.press("Control+G");
    await vscode.page.keyboard.type("1"); // the docstring: no events there
    await vscode.page.keyboard.press("Enter");
    await expect.poll(highlighted, { timeout: 20_000 }).toBe("0");
  });
});
