// Smoke: the packaged extension installs and activates in a real VS Code (code-server), an in-host
// test passes, the workbench renders, and an untrusted workspace really is untrusted.
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { assertHostTestsPassed, hostResults, openFile, paletteCommands, screenshot, useCodeServer } from "./harness";

describe("code-server with the packaged extension (trusted workspace)", () => {
  const vscode = useCodeServer({ hostTests: ["test/e2e/host/activation.host.ts"] });

  it("runs the in-host tests inside the extension host and they pass", async () => {
    const result = await hostResults(vscode.server);
    assertHostTestsPassed(result);
    expect(result.results.map((t) => t.name)).toContain("activation › the packaged extension is installed and activates");
  });

  it("lists the extension's commands in the palette on a Python file", async () => {
    await openFile(vscode.page, "03_counter_race.py");
    const titles = await paletteCommands(vscode.page, "GIL Timeline:");
    expect(titles).toEqual(expect.arrayContaining(["GIL Timeline: Trace Current File", "GIL Timeline: Show Timeline"]));
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
