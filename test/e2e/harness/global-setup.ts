// Runs once before the e2e specs: package the extension as users get it, make sure the toolchain is there,
// and build the host-runner extension. Every way of starting the suite therefore tests a fresh .vsix.
import { spawnSync } from "node:child_process";
import { ensureToolchain } from "../../../scripts/e2e-setup.mjs";
import { buildHostRunner } from "../host-runner/build.mjs";
import { repoRoot, workRoot } from "./paths";

async function step(name: string, run: () => unknown): Promise<void> {
  const started = Date.now();
  await run();
  console.log(`e2e setup: ${name} (${Date.now() - started} ms)`);
}

export default async function setup(): Promise<void> {
  // E2E_VSIX names a ready-made package to test instead (e.g. a release build).
  if (!process.env.E2E_VSIX) {
    await step("npm run package", () => {
      const result = spawnSync("npm", ["run", "package"], { cwd: repoRoot, stdio: "inherit" });
      if (result.status !== 0) throw new Error(`npm run package failed with status ${result.status}`);
    });
  }
  await step("toolchain", () => ensureToolchain());
  await step("host runner", () => buildHostRunner(workRoot));
}
