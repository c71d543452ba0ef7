// Smoke: the packaged extension installs and activates in a real VS Code (code-server), an in-host
// test passes, the workbench renders, and an untrusted workspace really is untrusted.
import { existsSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  assertHostTestsPassed, bundleHostTests, closeWorkbench, copyWorkspace, hostResults, openFile, openWorkbench, paletteCommands, screenshot,
  startCodeServer, type CodeServer,
} from "./harness";

describe("code-server with the packaged extension (trusted workspace)", () => {
  let server: CodeServer;
  let page: Page;

  beforeAll(async () => {
    const hostTests = await bundleHostTests(["test/e2e/host/activation.host.ts"]);
    server = await startCodeServer({ workspace: copyWorkspace("examples"), hostTests });
    page = await openWorkbench(server.url);
  });

  afterAll(async () => {
    if (page) await closeWorkbench(page);
    await server?.stop();
  });

  it("runs the in-host tests inside the extension host and they pass", async () => {
    const result = await hostResults(server);
    assertHostTestsPassed(result);
    expect(result.results.map((t) => t.name)).toContain("activation › the packaged extension is installed and activates");
  });

  it("lists the extension's commands in the palette on a Python file", async () => {
    await openFile(page, "03_counter_race.py");
    const titles = await paletteCommands(page, "GIL Timeline:");
    expect(titles).toEqual(expect.arrayContaining(["GIL Timeline: Trace Current File", "GIL Timeline: Show Timeline"]));
  });

  it("renders the workbench and saves a screenshot", async () => {
    await page.locator(".explorer-folders-view, .explorer-viewlet").first().waitFor();
    const path = await screenshot(page, "smoke-workbench");
    expect(existsSync(path)).toBe(true);
  });
});

describe("code-server with an untrusted workspace", () => {
  let server: CodeServer;
  let page: Page;

  beforeAll(async () => {
    const hostTests = await bundleHostTests(["test/e2e/host/trust.untrusted.host.ts"]);
    server = await startCodeServer({ workspace: copyWorkspace("examples"), trust: false, hostTests });
    page = await openWorkbench(server.url);
  });

  afterAll(async () => {
    if (page) await closeWorkbench(page);
    await server?.stop();
  });

  it("opens the workspace in restricted mode", async () => {
    assertHostTestsPassed(await hostResults(server));
    await screenshot(page, "smoke-untrusted");
  });
});
