// The editor features in a real VS Code (code-server + headless Chromium): in-host API tests, then the
// same flows through the UI a student uses: click a code lens, read the race in the Problems panel and
// its hover, apply the quick fix and re-run, cancel a script that never ends, a syntax error, and a
// refusal in an untrusted workspace. Screenshots go to test/e2e/screenshots/editor-*.png.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { findPythons, MIN_MINOR, probePython } from "../../src/run/pythons";
import {
  assertHostTestsPassed, bundleHostTests, closeWorkbench, copyWorkspace, hostResults, openFile, openWorkbench,
  goToLine, paletteCommands, repoRoot, runCommand, screenshot, startCodeServer, type CodeServer,
} from "./harness";
import { EDITOR_EXTRA_FILES } from "./host/workspaces.mjs";

/** The newest CPython found, so every machine runs the same one rather than whatever `python3` is. */
function pythonSettings(): Record<string, unknown> {
  const pythons = findPythons();
  const newest = pythons[pythons.length - 1];
  if (!newest) throw new Error("no CPython 3.8-3.13 found");
  // Sticky scroll pins `def increment():` over the top lines, where it takes clicks meant for the code.
  // revealIfOpen: quick open focuses a file's editor in whichever group shows it, rather than opening a copy.
  return { "gilTimeline.pythonPath": newest.executable, "editor.stickyScroll.enabled": false, "workbench.editor.revealIfOpen": true };
}

/** A CPython older than 3.8 from pyenv, if the machine has one: the in-host tests check it is refused. */
function oldPythonEnv(): Record<string, string> {
  const versions = join(process.env.PYENV_ROOT ?? join(homedir(), ".pyenv"), "versions");
  const found = existsSync(versions)
    ? readdirSync(versions).map((v) => probePython(join(versions, v, "bin", "python"))).find((p) => p && (p.major < 3 || p.minor < MIN_MINOR))
    : undefined;
  return found ? { GIL_TIMELINE_E2E_OLD_PYTHON: found.executable } : {};
}

function toast(page: Page, text: string | RegExp) {
  return page.locator(".notification-toast").filter({ hasText: text }).first();
}

async function problemsRows(page: Page) {
  await page.getByRole("tab", { name: /Problems/ }).first().click();
  return page.locator(".markers-panel .monaco-list-row");
}

/**
 * The line numbers beside which an editor shows our race gutter icon (src/editor/raceDiagnostics.ts, an
 * amber triangle, fill #e5a00d): VS Code draws gutter icons as absolutely placed `.cgmr` elements, so each
 * is matched to the line number at its height.
 */
function raceGutterLines(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const lines: number[] = [];
    for (const editor of Array.from(document.querySelectorAll(".monaco-editor"))) {
      const numbers = Array.from(editor.querySelectorAll(".margin-view-overlays .line-numbers"));
      for (const icon of Array.from(editor.querySelectorAll(".cgmr"))) {
        if (!getComputedStyle(icon).backgroundImage.includes("e5a00d")) continue;
        const box = icon.getBoundingClientRect();
        const middle = box.top + box.height / 2;
        const at = numbers.find((n) => {
          const r = n.getBoundingClientRect();
          return middle >= r.top && middle < r.bottom;
        });
        if (at) lines.push(Number(at.textContent));
      }
    }
    return lines;
  });
}

/**
 * Puts the cursor on `word` of the first code line of examples/`file` containing `lineText` (the lab's docstring
 * quotes the same code in backticks), by keyboard: a click can land on a hover or tooltip left by an earlier step.
 */
async function cursorOn(page: Page, file: string, lineText: string, word: string): Promise<void> {
  const lines = readFileSync(resolve(repoRoot, "examples", file), "utf8").split("\n");
  const index = lines.findIndex((l) => l.includes(lineText) && !l.includes("`"));
  if (index < 0) throw new Error(`no line with "${lineText}" in ${file}`);
  await openFile(page, file); // the timeline panel beside it may hold the focus
  await goToLine(page, index + 1, lines[index].indexOf(word) + 1);
}

describe("editor features, in-host API tests", () => {
  let server: CodeServer;
  let page: Page;

  beforeAll(async () => {
    const hostTests = await bundleHostTests(["test/e2e/host/editor.host.ts"]);
    server = await startCodeServer({
      workspace: copyWorkspace("examples", EDITOR_EXTRA_FILES), settings: pythonSettings(), hostTests, env: oldPythonEnv(),
    });
    page = await openWorkbench(server.url);
  });

  afterAll(async () => {
    if (page) await closeWorkbench(page);
    await server?.stop();
  });

  it("pass inside the extension host", async () => {
    const result = await hostResults(server, { timeoutMs: 900_000 });
    await screenshot(page, "editor-host-tests");
    assertHostTestsPassed(result);
    const names = result.results.map((t) => t.name);
    if (oldPythonEnv().GIL_TIMELINE_E2E_OLD_PYTHON) expect(names).toContain("editor › an interpreter older than 3.8 is refused with its version");
    expect(names.length).toBeGreaterThanOrEqual(12); // every test of editor.host.ts ran (13 with an old CPython)
  }, 960_000);
});

describe("editor features through the UI", () => {
  let server: CodeServer;
  let page: Page;

  beforeAll(async () => {
    server = await startCodeServer({ workspace: copyWorkspace("examples", EDITOR_EXTRA_FILES), settings: pythonSettings() });
    page = await openWorkbench(server.url);
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === "fail") await screenshot(page, `editor-failed-${ctx.task.name.slice(0, 40).replace(/\W+/g, "-")}`);
  });

  afterAll(async () => {
    if (page) await closeWorkbench(page);
    await server?.stop();
  });

  it("a lens traces the file, then shows the target's figures and opens its threads' timeline", async () => {
    await openFile(page, "02_cpu_bound_threads.py");
    await page.locator(".codelens-decoration a:visible").filter({ hasText: "Trace threads" }).first().click({ timeout: 60_000 });
    const figures = page.locator(".codelens-decoration a:visible").filter({ hasText: /^4 threads · [\d.]+% of GIL time each · [\d,]+ handoffs/ });
    await figures.first().waitFor({ timeout: 120_000 });
    await screenshot(page, "editor-lens-figures");
    await figures.first().click();
    await page.locator(".tab").filter({ hasText: "GIL Timeline: worker" }).first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(3000); // the webview draws after it loads: only for the screenshot
    await screenshot(page, "editor-lens-timeline");
  });

  it("a click on the code lens traces the file and the Problems panel lists the race at its line", async () => {
    await openFile(page, "04_counter_sleep_race.py");
    const lens = page.locator(".codelens-decoration a:visible").filter({ hasText: "Trace threads" }).first();
    await lens.waitFor({ timeout: 60_000 });
    await screenshot(page, "editor-lens-before");
    await lens.click();
    const figures = page.locator(".codelens-decoration a:visible").filter({ hasText: /threads · [\d.]+% of GIL time.* · 1 race$/ }).first();
    await figures.waitFor({ timeout: 120_000 });
    await cursorOn(page, "04_counter_sleep_race.py", "tmp = counter", "tmp");
    const rows = await problemsRows(page);
    const race = rows.filter({ hasText: "Race on `counter`" }).first();
    await race.waitFor({ timeout: 30_000 });
    const lab = readFileSync(resolve(repoRoot, "examples/04_counter_sleep_race.py"), "utf8").split("\n");
    const writeLine = lab.findIndex((l) => l.trim() === "counter = tmp + 1") + 1;
    await expect.poll(async () => (await rows.allInnerTexts()).join("\n")).toContain(`Ln ${writeLine},`);
    // Beside the Problems entry, the line has its squiggle and the gutter icon.
    await openFile(page, "04_counter_sleep_race.py");
    await expect.poll(() => raceGutterLines(page), { timeout: 30_000 }).toContain(writeLine);
    const squiggle = page.locator(".monaco-editor .view-overlays .squiggly-warning").first();
    await squiggle.waitFor({ state: "attached", timeout: 30_000 });
    await screenshot(page, "editor-problems-race");
  });

  it("the hover on the racing line explains the interleaving and the untraced verdict", async () => {
    await cursorOn(page, "04_counter_sleep_race.py", "counter = tmp + 1", "counter");
    await runCommand(page, "Show or Focus Hover"); // the hover at the cursor: no mouse timing involved
    // The hover can show the Problems entry and our explanation as separate parts: wait for ours.
    const hover = page.locator(".monaco-hover").filter({ hasText: "Can this happen without the tracer" }).first();
    await hover.waitFor({ timeout: 20_000 });
    await expect(hover.innerText()).resolves.toMatch(/Can this happen without the tracer on CPython 3\.\d+/);
    await screenshot(page, "editor-hover");
  });

  it("the quick fix adds the lock and a re-run shows the race gone", async () => {
    await cursorOn(page, "04_counter_sleep_race.py", "counter = tmp + 1", "counter");
    await runCommand(page, "Quick Fix...");
    const fix = page.locator(".action-widget .monaco-list-row, .context-view .action-item").filter({ hasText: "Guard lines" }).first();
    await fix.waitFor({ timeout: 20_000 });
    await screenshot(page, "editor-quick-fix");
    await fix.click();
    await page.locator(".view-line:visible").filter({ hasText: "with counter_lock:" }).first().waitFor();
    await page.keyboard.press("Control+S");
    await runCommand(page, "GIL Timeline: Trace Current File");
    // Until the re-run ends the lens still shows the first run's "· 1 race".
    const lens = page.locator(".codelens-decoration a:visible").filter({ hasText: /threads · [\d.]+% of GIL time.* handoffs$/ }).first();
    await lens.waitFor({ timeout: 120_000 });
    const rows = await problemsRows(page);
    await expect.poll(async () => rows.filter({ hasText: "Race on" }).count(), { timeout: 30_000 }).toBe(0);
    await screenshot(page, "editor-race-fixed");
  });

  it("Cancel in the progress notification stops a script that never ends", async () => {
    await openFile(page, "never_ends.py");
    await runCommand(page, "GIL Timeline: Trace Current File");
    const progress = toast(page, "tracing never_ends.py");
    await progress.waitFor({ timeout: 60_000 });
    await page.waitForTimeout(2000);
    await screenshot(page, "editor-running");
    await progress.getByRole("button", { name: "Cancel" }).click();
    await toast(page, "Stopped by you").waitFor({ timeout: 30_000 }); // not "Stopped after the 60 s timeout"
    await screenshot(page, "editor-cancelled");
  });

  it("Ctrl+Alt+G traces the Python file and, while it runs, stops it (Stop Tracing is in the palette then)", async () => {
    await runCommand(page, "Notifications: Clear All Notifications"); // the last test's "Stopped"
    await toast(page, "Stopped").waitFor({ state: "detached" });
    await openFile(page, "never_ends.py"); // the focus in its editor: the keybinding is for Python editors
    await page.locator(".editor-group-container.active .monaco-editor.focused").waitFor();
    await page.keyboard.press("Control+Alt+G");
    const progress = toast(page, "tracing never_ends.py");
    await progress.waitFor({ timeout: 60_000 });
    await expect.poll(() => paletteCommands(page, "GIL Timeline:"), { timeout: 30_000 }).toContain("GIL Timeline: Stop Tracing");
    await page.keyboard.press("Control+Alt+G");
    await toast(page, "Stopped by you").waitFor({ timeout: 30_000 });
    await progress.waitFor({ state: "detached", timeout: 30_000 });
    await screenshot(page, "editor-keybinding-stopped");
  });

  it("a syntax error gives a clear message", async () => {
    await openFile(page, "syntax_error.py");
    await runCommand(page, "GIL Timeline: Trace Current File");
    await toast(page, /SyntaxError at line 3/).waitFor({ timeout: 60_000 });
    await screenshot(page, "editor-syntax-error");
  });
});

describe("editor features in an untrusted workspace", () => {
  let server: CodeServer;
  let page: Page;

  beforeAll(async () => {
    const hostTests = await bundleHostTests(["test/e2e/host/editor.untrusted.host.ts"]);
    server = await startCodeServer({ workspace: copyWorkspace("examples"), trust: false, settings: pythonSettings(), hostTests });
    page = await openWorkbench(server.url);
  });

  afterAll(async () => {
    if (page) await closeWorkbench(page);
    await server?.stop();
  });

  it("refuses to trace and says why", async () => {
    assertHostTestsPassed(await hostResults(server));
    await openFile(page, "03_counter_race.py");
    await runCommand(page, "Notifications: Clear All Notifications"); // the in-host test's refusal
    await toast(page, "Restricted Mode").waitFor({ state: "detached" });
    await runCommand(page, "GIL Timeline: Trace Current File");
    const refusal = toast(page, "Restricted Mode");
    await refusal.waitFor({ timeout: 30_000 });
    // Why (the workspace is not trusted and tracing would run its code) and the way out.
    expect(await refusal.textContent()).toMatch(/runs the Python script it traces[^]*Trust this workspace/);
    await screenshot(page, "editor-untrusted");
    await refusal.getByRole("button", { name: "Manage Workspace Trust" }).click();
    // The button opens VS Code's Workspace Trust editor (the workspace stays untrusted).
    await page.getByText("You are in Restricted Mode").first().waitFor({ timeout: 30_000 });
  });
});
