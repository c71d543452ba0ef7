// "GIL Timeline: Keep This Timeline" in a real VS Code (code-server): the same script before and
// after a change, side by side. The kept panel stops being the script's own; its next run opens a
// new timeline and the kept one still shows the earlier run.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { copyWorkspace, openFile, runCommand, screenshot, useCodeServer, workerThreads } from "./harness";

const workspace = copyWorkspace(undefined, { "before_after.py": workerThreads(2) });

describe("keeping a timeline beside the next run", () => {
  const vscode = useCodeServer({ workspace });

  it("the kept timeline stays as it was, the next run opens a new one", async () => {
    const page = vscode.page;
    // Two timelines are open: read the one on screen (a hidden webview keeps its iframe).
    const shown = () => page.locator("iframe.webview.ready:visible").first().contentFrame().frameLocator("#active-frame");
    const lanes = () => shown().locator("[data-lane]").count();
    const tabs = page.locator(".tab").filter({ hasText: "GIL Timeline: before_after.py" });
    await openFile(page, "before_after.py");
    await runCommand(page, "GIL Timeline: Trace Current File");
    await shown().locator('.status[data-state="done"]').waitFor({ timeout: 120_000 });
    expect(await lanes()).toBe(3); // MainThread + 2

    // The run left the focus inside the webview, which keeps F1 to itself: focus the panel's tab.
    await tabs.first().click();
    await runCommand(page, "GIL Timeline: Keep This Timeline Beside the Next Run");
    const kept = tabs.filter({ hasText: "(kept)" });
    await kept.first().waitFor({ timeout: 30_000 });

    writeFileSync(join(workspace, "before_after.py"), workerThreads(3));
    await openFile(page, "before_after.py");
    // Focus the script's editor itself (the palette offers the command only with a Python editor focused).
    await page.locator(".view-line:visible").filter({ hasText: "import threading" }).first().click();
    await runCommand(page, "GIL Timeline: Trace Current File");
    await expect.poll(() => tabs.count(), { timeout: 120_000 }).toBe(2);
    await expect.poll(lanes, { timeout: 120_000 }).toBe(4); // the new run's panel, in front
    await shown().locator('.status[data-state="done"]').waitFor({ timeout: 120_000 });

    await kept.first().click();
    await expect.poll(lanes, { timeout: 60_000 }).toBe(3); // the kept run, unchanged
    await screenshot(page, "keep-before-after");
  }, 400_000);
});
