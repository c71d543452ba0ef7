// `npm run test:electron`: the same in-host test files, run in a desktop VS Code that @vscode/test-electron
// downloads from Microsoft's update server. For machines with internet access: on the project's machines
// only the npm registry is reachable, the download fails (getaddrinfo ENOTFOUND) and this script cannot
// run; the suite runs in code-server there instead (npm run test:e2e).
// Each host file runs in its own VS Code, on a temporary copy of examples/ with what it needs (files,
// settings, environment, the Python extension stand-in: electron-plan.mjs), never on the repository's
// examples/ (editor.host.ts saves a quick fix into its workspace). Files it cannot provide for
// (*.untrusted.host.ts need restricted mode) are skipped with the reason.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { downloadAndUnzipVSCode, runTests } from "@vscode/test-electron";
import { buildHostRunner, buildHostTests } from "./build.mjs";
import { HOST_DIR, loadPythons, planHostRun, prepareHostRun } from "./electron-plan.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..", "..");
const workRoot = join(root, "test", "e2e", ".work");

const version = process.env.VSCODE_VERSION ?? "stable";
let vscodeExecutablePath;
try {
  vscodeExecutablePath = await downloadAndUnzipVSCode(version);
} catch (e) {
  console.error(`test:electron: cannot download VS Code ${version} (${e instanceof Error ? e.message : String(e)}).`);
  console.error("Only machines that reach Microsoft's update server can run it; elsewhere run npm run test:e2e (code-server).");
  process.exit(1);
}

const names = readdirSync(HOST_DIR).filter((f) => f.endsWith(".host.ts")).sort();
await buildHostRunner(workRoot);
const scratch = mkdtempSync(join(tmpdir(), "gil-electron-"));
const pythons = await loadPythons(scratch);
const failed = [];
for (const name of names) {
  const plan = planHostRun(name, pythons);
  if ("skip" in plan) {
    console.log(`skip ${name}: ${plan.skip}`);
    continue;
  }
  const [bundle] = await buildHostTests([join(HOST_DIR, name)], join(workRoot, "host-electron"));
  const run = prepareHostRun(name, plan);
  console.log(`run  ${name} in ${run.workspace}`);
  try {
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: [root, ...plan.extensions],
      extensionTestsPath: join(here, "dist", "electron-index.js"),
      extensionTestsEnv: { ...plan.env, GIL_TIMELINE_E2E_HOST_TESTS: JSON.stringify([bundle]) },
      launchArgs: [run.workspace, "--disable-workspace-trust", "--disable-extensions", `--user-data-dir=${run.userData}`, `--extensions-dir=${run.extensionsDir}`],
    });
    rmSync(run.dir, { recursive: true, force: true });
  } catch (e) {
    console.error(`FAIL ${name}: ${e instanceof Error ? e.message : String(e)} (kept ${run.dir})`);
    failed.push(name);
  }
}
rmSync(scratch, { recursive: true, force: true });
if (failed.length > 0) {
  console.error(`${failed.length} host file(s) failed: ${failed.join(", ")}`);
  process.exit(1);
}
