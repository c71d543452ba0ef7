// The usual spec shape in one call: code-server + a browser on it for the whole describe block,
// torn down afterwards, with the in-host test files bundled on the way.
import { cpSync, existsSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll } from "vitest";
import { startCodeServer, type CodeServer, type CodeServerOptions } from "./code-server";
import { bundleHostTests } from "./host-tests";
import { closeWorkbench, openWorkbench, screenshot } from "./workbench";
import { workRoot } from "./paths";
import { copyWorkspace } from "./workspace";

export interface SessionOptions extends Omit<CodeServerOptions, "workspace" | "hostTests"> {
  /** Default: a fresh copy of examples/. */
  workspace?: string;
  /** In-host test sources (test/e2e/host/*.host.ts, relative to the repository root); bundled here. */
  hostTests?: readonly string[];
}

export interface Session {
  readonly server: CodeServer;
  readonly page: Page;
}

/**
 * Call inside a describe(): starts in beforeAll, stops in afterAll, screenshots each failed test; read
 * .server and .page in the tests.
 */
/** Keeps code-server's log and the workbench/extension host logs (incl. Output channels) of a failed session. */
function keepLogs(server: CodeServer): void {
  const dest = join(workRoot, "logs", `${Date.now()}-${server.port}`);
  cpSync(server.logPath, join(dest, "code-server.log"));
  const vscodeLogs = join(server.dir, "ud", "logs");
  if (existsSync(vscodeLogs)) cpSync(vscodeLogs, join(dest, "vscode"), { recursive: true });
  console.error(`e2e: logs of the failed session kept in ${dest}`);
}

export function useCodeServer(options: SessionOptions = {}): Session {
  let server: CodeServer | undefined;
  let page: Page | undefined;
  let failed = false;
  beforeAll(async () => {
    const hostTests = await bundleHostTests(options.hostTests ?? []);
    server = await startCodeServer({ ...options, workspace: options.workspace ?? copyWorkspace("examples"), hostTests });
    page = await openWorkbench(server.url);
  });
  // What the workbench looked like when a test failed: test/e2e/screenshots/failed-<test name>.png.
  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== "fail") return;
    failed = true;
    if (page) {
      await screenshot(page, `failed-${ctx.task.name.replace(/\W+/g, "-").slice(0, 60)}`).catch(() => undefined);
    }
  });
  afterAll(async () => {
    if (page) await closeWorkbench(page);
    if (server && failed) keepLogs(server);
    await server?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("useCodeServer: not started (did beforeAll fail?)");
    return value;
  };
  return {
    get server() {
      return started(server);
    },
    get page() {
      return started(page);
    },
  };
}
