// `npm run test:electron`: the same in-host test files, run in a desktop VS Code that @vscode/test-electron
// downloads. For machines with internet access; on the project's machines the download fails (ENOTFOUND)
// and the suite runs in code-server instead (npm run test:e2e). Files named *.untrusted.host.ts need a
// restricted-mode workspace, which this path does not set up, so they are left out here.
import { readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runTests } from "@vscode/test-electron";
import { buildHostRunner, buildHostTests } from "./build.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..", "..");
const workRoot = join(root, "test", "e2e", ".work");

const hostDir = join(root, "test", "e2e", "host");
const sources = readdirSync(hostDir)
  .filter((f) => f.endsWith(".host.ts") && !f.endsWith(".untrusted.host.ts"))
  .map((f) => join(hostDir, f));
await buildHostRunner(workRoot);
const files = await buildHostTests(sources, join(workRoot, "host"));

await runTests({
  version: process.env.VSCODE_VERSION ?? "stable",
  extensionDevelopmentPath: root,
  extensionTestsPath: join(here, "dist", "electron-index.js"),
  extensionTestsEnv: { GIL_TIMELINE_E2E_HOST_TESTS: JSON.stringify(files) },
  launchArgs: [join(root, "examples"), "--disable-workspace-trust", "--disable-extensions"],
});
