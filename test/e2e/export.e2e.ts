// The export commands in a real VS Code (code-server): trace the race lab from the palette, then
// "Export HTML Report…" and "Export Chrome Trace…" through the real save dialog. The report is
// then opened from disk in the browser, away from VS Code: it draws the same lanes and race.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { copyWorkspace, openFile, runCommand, screenshotsDir, useCodeServer, waitFor, webviewFrame } from "./harness";

const LAB = "03_counter_race.py";

/** Accepts the save dialog's proposed path (code-server's simple dialog: a quick input). */
async function acceptSaveDialog(page: import("playwright-core").Page): Promise<void> {
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ timeout: 30_000 });
  await page.keyboard.press("Enter");
  await page.locator(".quick-input-widget").waitFor({ state: "hidden", timeout: 30_000 });
}

describe("export commands", () => {
  const workspace = copyWorkspace("examples");
  const vscode = useCodeServer({ workspace });

  it("exports the current timeline as a self-contained HTML report that opens from disk", async () => {
    await openFile(vscode.page, LAB);
    await runCommand(vscode.page, "GIL Timeline: Trace Current File");
    const frame = webviewFrame(vscode.page);
    await frame.locator('.status[data-state="done"]').waitFor({ timeout: 120_000 });
    const lanes = await frame.locator("[data-lane]").count();
    const races = await frame.locator("[data-race]").count();
    expect(races).toBeGreaterThan(0);

    await runCommand(vscode.page, "GIL Timeline: Export HTML Report\u2026");
    await acceptSaveDialog(vscode.page);
    const file = join(workspace, "03_counter_race.html");
    await waitFor("the exported report", () => (existsSync(file) && readFileSync(file, "utf8").includes("</html>") ? true : undefined), { timeoutMs: 60_000 });

    const page = await vscode.page.context().newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => Number(document.body.dataset.renders ?? 0) >= 1, undefined, { timeout: 30_000 });
    expect(await page.locator("[data-lane]").count()).toBe(lanes);
    expect(await page.locator("[data-race]").count()).toBe(races);
    expect(await page.locator("h1").textContent()).toBe(LAB);
    expect(errors).toEqual([]);
    await page.screenshot({ path: join(screenshotsDir, "export-html-report.png"), fullPage: true });
    await page.close();
  });

  it("exports the same trace as Chrome Trace Event JSON", async () => {
    await runCommand(vscode.page, "GIL Timeline: Export Chrome Trace\u2026");
    await acceptSaveDialog(vscode.page);
    const file = join(workspace, "03_counter_race.chrome.json");
    const doc = await waitFor("the exported Chrome trace", () => {
      try {
        return JSON.parse(readFileSync(file, "utf8")) as { traceEvents: { cat?: string }[]; otherData: { races: number } };
      } catch {
        return undefined;
      }
    }, { timeoutMs: 60_000 });
    expect(doc.otherData.races).toBeGreaterThan(0);
    expect(doc.traceEvents.some((e) => e.cat === "race")).toBe(true);
  });
});
