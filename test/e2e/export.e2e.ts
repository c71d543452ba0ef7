// The export commands in a real VS Code (code-server): trace the race lab from the palette, then
// "Export HTML Report…" and "Export Chrome Trace…" through the real save dialog. The report is
// then opened from disk in the browser, away from VS Code: it draws the same lanes and race.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { copyWorkspace, openFile, runCommand, screenshotsDir, useCodeServer, waitFor, webviewFrame } from "./harness";

const LAB = "03_counter_race.py";

/**
 * Saves through the save dialog (code-server's simple dialog: a quick input) to `path`. The dialog fills
 * in its proposal asynchronously and can miss an early Enter, so the path is typed and Enter retried.
 */
async function saveAs(page: import("playwright-core").Page, path: string): Promise<void> {
  const widget = page.locator(".quick-input-widget");
  const input = widget.locator("input");
  await input.waitFor({ timeout: 30_000 });
  await input.fill(path);
  for (let attempt = 0; attempt < 6; attempt++) {
    await page.keyboard.press("Enter");
    const closed = await widget.waitFor({ state: "hidden", timeout: 5_000 }).then(() => true, () => false);
    if (closed) return;
  }
  throw new Error(`the save dialog did not accept ${path}`);
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
    const file = join(workspace, "03_counter_race.html");
    await saveAs(vscode.page, file);
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
    const file = join(workspace, "03_counter_race.chrome.json");
    await saveAs(vscode.page, file);
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
