// Builds the test-only host-runner extension into a .vsix and bundles in-host test files to CJS.
// Plain .mjs (with build.d.mts for the TypeScript side) because both the vitest harness and the
// `npm run test:electron` script, which runs on plain Node, use it.
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..", "..");
const nodeOptions = { bundle: true, platform: "node", format: "cjs", target: "node18", external: ["vscode"], logLevel: "warning" };

/** Bundles the runner (both entry points) into host-runner/dist/ and packages it as outDir/e2e-host-runner.vsix. */
export async function buildHostRunner(outDir) {
  await esbuild.build({
    ...nodeOptions,
    entryPoints: { extension: join(here, "src", "extension.ts"), "electron-index": join(here, "src", "electron-index.ts") },
    outdir: join(here, "dist"),
  });
  return vscePackage(here, join(outDir, "e2e-host-runner.vsix"));
}

/** `vsce package` of a test-only extension folder into `vsix`. */
function vscePackage(folder, vsix) {
  mkdirSync(dirname(vsix), { recursive: true });
  const vsce = join(root, "node_modules", "@vscode", "vsce", "vsce");
  const args = [vsce, "package", "--no-dependencies", "--allow-missing-repository", "--skip-license", "--out", vsix];
  const result = spawnSync(process.execPath, args, { cwd: folder, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`packaging ${folder} failed:\n${result.stdout}${result.stderr}`);
  return vsix;
}

/** Bundles each in-host test file (test/e2e/host/*.host.ts) to outDir/<name>.js; returns the absolute paths. */
export async function buildHostTests(files, outDir) {
  mkdirSync(outDir, { recursive: true });
  const outputs = [];
  for (const file of files) {
    const outfile = join(outDir, basename(file).replace(/\.ts$/, ".js"));
    await esbuild.build({ ...nodeOptions, entryPoints: [resolve(root, file)], outfile, sourcemap: "inline" });
    outputs.push(outfile);
  }
  return outputs;
}

/** Packages the test-only Python extension stand-in (test/e2e/python-extension-stand-in) as outDir/ms-python-stand-in.vsix. */
export function buildPythonExtensionStandIn(outDir) {
  return vscePackage(join(here, "..", "python-extension-stand-in"), join(outDir, "ms-python-stand-in.vsix"));
}
