// Smoke: the packaged extension installs and activates in a real VS Code (code-server), an in-host
// test passes, the palette offers every command, a bad interpreter gets its message and way out, the
// workbench renders, and an untrusted workspace really is untrusted.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { assertHostTestsPassed, hostResults, openFile, paletteCommands, repoRoot, screenshot, useCodeServer } from "./harness";

interface Contributes {
  commands: { command: string; title: string; category: string }[];
  menus: { commandPalette: { command: string; when?: string }[] };
}
const contributes = (JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { contributes: Contributes }).contributes;
/** Palette titles of the commands offered while no trace runs (Stop Tracing shows only during a run: editor.e2e.ts). */
const whileIdle = contributes.commands
  .filter((c) => contributes.menus.commandPalette.find((m) => m.command === c.command)?.when !== "gilTimeline.running")
  .map((c) => `${c.category}: ${c.title}`);
const STOP = "GIL Timeline: Stop Tracing";

/** gilTimeline.pythonPath for this session: a file that does not exist (and no Python extension installed). */
const MISSING_PYTHON = "/nonexistent/gil-timeline-e2e/python3";

const toast = (page: Page, text: string) => page.locator(".notification-toast").filter({ hasText: text }).first();

describe("code-server with the packaged extension (trusted workspace)", () => {
  const vscode = useCodeServer({ hostTests: ["test/e2e/host/activation.host.ts"], settings: { "gilTimeline.pythonPath": MISSING_PYTHON } });

  it("runs the in-host tests inside the extension host and they pass", async () => {
    const result = await hostResults(vscode.server);
    assertHostTestsPassed(result);
    expect(result.results.map((t) => t.name)).toContain("activation › the packaged extension is installed and activates");
  });

  it("lists the extension's commands in the palette on a Python file", async () => {
    await openFile(vscode.page, "03_counter_race.py");
    expect(whileIdle).toHaveLength(contributes.commands.length - 1);
    // The palette computes its rows from the context keys of the moment (editorLangId of a file just opened).
    await expect.poll(() => paletteCommands(vscode.page, "GIL Timeline:"), { timeout: 30_000 }).toEqual(expect.arrayContaining(whileIdle));
    expect(await paletteCommands(vscode.page, "GIL Timeline:")).not.toContain(STOP);
  });

  it("a missing interpreter (gilTimeline.pythonPath, no Python extension): a lens says so, its click explains and offers Set Python Path", async () => {
    const page = vscode.page;
    await openFile(page, "03_counter_race.py");
    // The threaded file's lenses cannot be found without Python: one lens says so, at its threading import.
    const lens = page.locator(".codelens-decoration a:visible").filter({ hasText: "no usable Python interpreter" });
    await lens.first().waitFor({ timeout: 60_000 });
    expect(await page.locator(".codelens-decoration a:visible").filter({ hasText: "Trace threads" }).count()).toBe(0);
    await lens.first().click(); // the way out is the trace command's error message
    const error = toast(page, "No Python interpreter found");
    await error.waitFor({ timeout: 60_000 });
    expect(await error.textContent()).toContain(`${MISSING_PYTHON} (from gilTimeline.pythonPath) does not exist`);
    await screenshot(page, "smoke-missing-interpreter");
    expect(await error.getByRole("button").allTextContents()).not.toContain("Select Interpreter"); // that is the Python extension's
    await error.getByRole("button", { name: "Set Python Path" }).click();
    // The Settings editor, at the setting (its description is ours).
    const setting = page.locator(".settings-editor .setting-item-contents").filter({ hasText: "Python interpreter to trace with" });
    await setting.first().waitFor({ timeout: 30_000 });
    await screenshot(page, "smoke-set-python-path");
  });

  it("renders the workbench and saves a screenshot", async () => {
    await vscode.page.locator(".explorer-folders-view, .explorer-viewlet").first().waitFor();
    const path = await screenshot(vscode.page, "smoke-workbench");
    expect(existsSync(path)).toBe(true);
  });
});

describe("code-server with an untrusted workspace", () => {
  const vscode = useCodeServer({ trust: false, hostTests: ["test/e2e/host/trust.untrusted.host.ts"] });

  it("opens the workspace in restricted mode", async () => {
    assertHostTestsPassed(await hostResults(vscode.server));
    await screenshot(vscode.page, "smoke-untrusted");
  });
});
