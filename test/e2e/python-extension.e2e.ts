// The interpreter choice with the Python extension installed. The real ms-python.python cannot be
// downloaded here, so a test-only stand-in (test/e2e/python-extension-stand-in) answers its
// environments API with an interpreter this spec selects: the oldest CPython found, which differs
// from both gilTimeline.pythonPath (set to the newest) and, on machines with several, python3 on PATH.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { findPythons } from "../../src/run/pythons";
import { buildPythonExtensionStandIn } from "./host-runner/build.mjs";
import {
  assertHostTestsPassed, bundleHostTests, closeWorkbench, copyWorkspace, hostResults, openWorkbench, startCodeServer,
  type CodeServer,
} from "./harness";
import { workRoot } from "./harness/paths";

describe("with the Python extension installed", () => {
  let server: CodeServer;
  let page: Page;

  beforeAll(async () => {
    const pythons = findPythons();
    expect(pythons.length).toBeGreaterThanOrEqual(2);
    const [oldest, newest] = [pythons[0], pythons[pythons.length - 1]];
    server = await startCodeServer({
      workspace: copyWorkspace("examples"),
      extensions: [buildPythonExtensionStandIn(join(workRoot, "stand-ins"))],
      settings: { "gilTimeline.pythonPath": newest.executable },
      env: { GIL_TIMELINE_E2E_SELECTED_PYTHON: oldest.executable, GIL_TIMELINE_E2E_SELECTED_VERSION: oldest.version },
      hostTests: await bundleHostTests(["test/e2e/host/pythonExtension.host.ts"]),
    });
    page = await openWorkbench(server.url);
  });

  afterAll(async () => {
    if (page) await closeWorkbench(page);
    await server?.stop();
  });

  it("traces with the interpreter selected there", async () => {
    assertHostTestsPassed(await hostResults(server));
  });
});
