// Where the e2e suite finds the project, the packaged extension and its scratch space.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { packagedVsix } from "../../../scripts/e2e-setup.mjs";

export const repoRoot = resolve(__dirname, "..", "..", "..");
export const e2eRoot = join(repoRoot, "test", "e2e");
/** Gitignored scratch space: the host-runner vsix, bundled in-host tests, copied workspaces. */
export const workRoot = join(e2eRoot, ".work");
export const screenshotsDir = join(e2eRoot, "screenshots");
export const hostRunnerVsix = join(workRoot, "e2e-host-runner.vsix");

/** The .vsix under test: E2E_VSIX when set, else the one `npm run package` writes. */
export function extensionVsix(): string {
  return process.env.E2E_VSIX ? resolve(process.env.E2E_VSIX) : packagedVsix();
}

/** The extension's id as VS Code knows it: publisher.name. */
export function extensionId(): string {
  const { name, publisher } = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { name: string; publisher: string };
  return `${publisher}.${name}`;
}
