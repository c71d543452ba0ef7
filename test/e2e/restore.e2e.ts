// Panels restored after a window reload, in a real VS Code (code-server): each test leaves one GIL
// Timeline panel open, reloads the window (Developer: Reload Window) and reads what the restored
// webview shows. A re-run's panel comes back with the re-run's trace (not the first run's), a lens's
// timeline with its thread filter, a comparison with its runs. Also: one Trace button in the title bar,
// and the workspace's settings.json reaching the tracer (gilTimeline.switchInterval, gilTimeline.traceScope).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { copyWorkspace, openFile, reloadWindow, runCommand, screenshot, useCodeServer, webviewFrame, workerThreads } from "./harness";

/** Two thread targets: the lens of `left` opens a timeline of its two threads only. */
const TWO_TARGETS = [
  "import threading",
  "def left():",
  "    s = 0",
  "    for i in range(100_000):",
  "        s += i",
  "def right():",
  "    s = 0",
  "    for i in range(100_000):",
  "        s -= i",
  "ts = [threading.Thread(target=left), threading.Thread(target=left), threading.Thread(target=right)]",
  "for t in ts: t.start()",
  "for t in ts: t.join()",
  "",
].join("\n");

/**
 * A script in app/ whose threads race in lib/: the default scope (the script's folder) leaves lib/
 * untraced, so the race shows only with gilTimeline.traceScope covering it.
 */
const SCOPED_LIB = ["counter = 0", "", "", "def bump(n):", "    global counter", "    for _ in range(n):", "        counter += 1", ""].join("\n");
const SCOPED_APP = [
  "import os",
  "import sys",
  "import threading",
  "",
  "sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))",
  "import shared  # noqa: E402",
  "",
  "threads = [threading.Thread(target=shared.bump, args=(20_000,)) for _ in range(2)]",
  "for t in threads:",
  "    t.start()",
  "for t in threads:",
  "    t.join()",
  "print('counter', shared.counter)",
  "",
].join("\n");

/** Workspace settings (.vscode/settings.json): 2 ms instead of CPython's 5 ms; "." (relative: the workspace folder) takes in lib/. */
const WORKSPACE_SETTINGS = { "gilTimeline.switchInterval": 0.002, "gilTimeline.traceScope": ["."] };

const workspace = copyWorkspace(undefined, {
  "rerun.py": workerThreads(2), "two_targets.py": TWO_TARGETS, "compare_me.py": workerThreads(2),
  "app/scoped.py": SCOPED_APP, "lib/shared.py": SCOPED_LIB, ".vscode/settings.json": JSON.stringify(WORKSPACE_SETTINGS, null, 2),
});

describe("panels after a window reload", () => {
  const vscode = useCodeServer({ workspace });
  const lanes = () => webviewFrame(vscode.page).locator("[data-lane]").count();
  /** One webview at a time, so webviewFrame() is the panel under test. */
  const closeAll = () => runCommand(vscode.page, "View: Close All Editors");
  const traceButton = () => vscode.page.locator(".editor-group-container.active .editor-actions .action-label[aria-label*='Trace Current File']");

  it("the title bar of a Python file has one Trace button (the run menu's)", async () => {
    const page = vscode.page;
    await openFile(page, "rerun.py");
    const buttons = traceButton();
    await buttons.first().waitFor({ timeout: 60_000 });
    await page.waitForTimeout(1000); // both menus contribute in the same render: give a second one the chance
    expect(await buttons.count()).toBe(1);
  });

  it("a re-run's panel comes back with the re-run's trace, not the first run's", async () => {
    const page = vscode.page;
    await openFile(page, "rerun.py");
    await runCommand(page, "GIL Timeline: Trace Current File");
    const frame = webviewFrame(page);
    await frame.locator('.status[data-state="done"]').waitFor({ timeout: 120_000 });
    expect(await lanes()).toBe(3); // MainThread + 2
    // The same script with three workers, run again: the panel is reused.
    writeFileSync(join(workspace, "rerun.py"), workerThreads(3));
    // Focus the script's editor (the run left the focus in the panel), then its title bar's run button.
    await page.locator(".view-line:visible").filter({ hasText: "import threading" }).first().click();
    await traceButton().click();
    await expect.poll(lanes, { timeout: 120_000 }).toBe(4);
    await frame.locator('.status[data-state="done"]').waitFor({ timeout: 120_000 });
    expect(await page.locator(".tab").filter({ hasText: "GIL Timeline: rerun.py" }).count()).toBe(1);

    await reloadWindow(page);
    await expect.poll(lanes, { timeout: 120_000 }).toBe(4);
    expect(await frame.locator(".status").getAttribute("data-state")).toBe("done");
    // The restored trace is the script's again in the editor: its lens shows the re-run's figures.
    await openFile(page, "rerun.py");
    await page.locator(".codelens-decoration a:visible").filter({ hasText: /^3 threads · / }).first().waitFor({ timeout: 60_000 });
    await screenshot(page, "restore-rerun");

    // The restored panel is still the script's own: a run after the reload updates it rather than opening another.
    writeFileSync(join(workspace, "rerun.py"), workerThreads(1));
    await page.locator(".view-line:visible").filter({ hasText: "import threading" }).first().click();
    await traceButton().click();
    await expect.poll(lanes, { timeout: 120_000 }).toBe(2);
    await frame.locator('.status[data-state="done"]').waitFor({ timeout: 120_000 });
    expect(await page.locator(".tab").filter({ hasText: "GIL Timeline: rerun.py" }).count()).toBe(1);
  }, 400_000);

  it("a lens's timeline comes back filtered to the target's threads", async () => {
    const page = vscode.page;
    await closeAll();
    await openFile(page, "two_targets.py");
    await page.locator(".codelens-decoration a:visible").filter({ hasText: "Trace threads" }).first().click({ timeout: 60_000 });
    const figures = page.locator(".codelens-decoration a:visible").filter({ hasText: /^2 threads · / });
    await figures.first().waitFor({ timeout: 120_000 });
    // Only the lens's panel stays open: the run opened the unfiltered one too.
    await closeAll();
    await openFile(page, "two_targets.py");
    await figures.first().click({ timeout: 60_000 });
    await page.locator(".tab").filter({ hasText: "GIL Timeline: left" }).first().waitFor({ timeout: 30_000 });
    await expect.poll(lanes, { timeout: 60_000 }).toBe(2); // left's two threads (unfiltered: 4)

    await reloadWindow(page);
    const frame = webviewFrame(page);
    await frame.locator('.status[data-state="done"]').waitFor({ timeout: 120_000 });
    await expect.poll(lanes, { timeout: 60_000 }).toBe(2);
    expect(await frame.locator("[data-lane]").allInnerTexts()).toEqual([expect.stringContaining("left"), expect.stringContaining("left")]);
    await screenshot(page, "restore-lens-filter");
  }, 400_000);

  it("a comparison comes back with its runs: labels, table and one timeline per run", async () => {
    const page = vscode.page;
    await closeAll();
    await openFile(page, "compare_me.py");
    await runCommand(page, "GIL Timeline: Compare Runs…");
    const quickPick = page.locator(".quick-input-widget");
    await quickPick.getByText("Compare runs of compare_me.py").waitFor({ timeout: 60_000 });
    await quickPick.locator(".monaco-list-row", { hasText: "switch interval 5 ms" }).first().waitFor();
    await page.keyboard.press("Enter"); // the default pair: 1 ms and 20 ms
    const frame = webviewFrame(page);
    await frame.locator('body[data-page="compare"]').waitFor({ timeout: 200_000 });
    const labels = () => frame.locator(".compare-run h2").allTextContents();
    const laneCounts = () => frame.locator("canvas[data-lanes]").evaluateAll((cs) => cs.map((c) => (c as HTMLCanvasElement).dataset.lanes));
    expect(await labels()).toEqual(["switch interval 1 ms", "switch interval 20 ms"]);
    const handoffs = await frame.locator('tr[data-key="handoffs"] td').allTextContents();

    await reloadWindow(page);
    await frame.locator('body[data-page="compare"]').waitFor({ timeout: 120_000 });
    expect(await labels()).toEqual(["switch interval 1 ms", "switch interval 20 ms"]);
    await expect.poll(laneCounts, { timeout: 30_000 }).toEqual(["3", "3"]);
    expect(await frame.locator('tr[data-key="switchIntervalMs"] td').allTextContents()).toEqual(["1 ms", "20 ms"]);
    expect(await frame.locator('tr[data-key="handoffs"] td').allTextContents()).toEqual(handoffs);
    expect(await frame.locator('tr[data-key="output"] td').allTextContents()).toEqual(["threads 2", "threads 2"]);
    await screenshot(page, "restore-compare");
  }, 400_000);

  it("the workspace's switch interval and trace scope reach the tracer", async () => {
    const page = vscode.page;
    await closeAll();
    await openFile(page, "app/scoped.py");
    await runCommand(page, "GIL Timeline: Trace Current File");
    const frame = webviewFrame(page);
    await frame.locator('.status[data-state="done"]').waitFor({ timeout: 120_000 });
    // The trace's process header says 2 ms: the run facts and the timeline's switch-interval scale.
    expect(await frame.locator(".facts dd").allTextContents()).toContain("GIL enabled (one per process), switch interval 2 ms");
    await expect.poll(() => frame.locator("canvas[data-lanes]").getAttribute("data-switch-scale-label"), { timeout: 30_000 }).toMatch(/^switch interval 2 ms/);
    // lib/ was traced at fine grain: the race on its counter is found (outside the scope it is not).
    await page.getByRole("tab", { name: /Problems/ }).first().click();
    const race = page.locator(".markers-panel .monaco-list-row").filter({ hasText: "Race on `counter`" });
    await race.first().waitFor({ timeout: 30_000 });
    expect(await page.locator(".markers-panel .monaco-list-row").filter({ hasText: "shared.py" }).count()).toBeGreaterThan(0);
    await screenshot(page, "restore-workspace-settings");
  }, 300_000);
});
