// What `npm run test:electron` (electron.mjs) gives each in-host test file, as the code-server specs do:
// a private temporary workspace (a copy of examples/ plus the file's fixtures, so a test that saves a
// quick fix never edits the repository), user settings, environment and extra extension folders; or
// why the file is skipped. Plain .mjs (types in electron-plan.d.mts): electron.mjs runs on plain Node,
// and test/e2e/host-runner.e2e.ts checks the plans without VS Code.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as esbuild from "esbuild";
import { EDITOR_EXTRA_FILES } from "../host/workspaces.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..", "..", "..");
export const HOST_DIR = join(root, "test", "e2e", "host");

/** src/run/pythons.ts, bundled for plain Node: the same interpreter search the specs use. */
export async function loadPythons(scratch) {
  const outfile = join(scratch, "pythons.mjs");
  await esbuild.build({ entryPoints: [join(root, "src", "run", "pythons.ts")], bundle: true, platform: "node", format: "esm", outfile, logLevel: "warning" });
  return import(pathToFileURL(outfile).href);
}

/** A CPython older than 3.8 from pyenv, if any (editor.host.ts then checks it is refused), as editor.e2e.ts finds it. */
function oldPython(pythons) {
  const versions = join(process.env.PYENV_ROOT ?? join(homedir(), ".pyenv"), "versions");
  if (!existsSync(versions)) return undefined;
  return readdirSync(versions)
    .map((v) => pythons.probePython(join(versions, v, "bin", "python")))
    .find((p) => p && (p.major < 3 || p.minor < pythons.MIN_MINOR));
}

/**
 * The plan for one host file (its base name): { files, settings, env, extensions } or { skip: why }.
 * `pythons` is what loadPythons() returns.
 */
export function planHostRun(name, pythons) {
  if (name.endsWith(".untrusted.host.ts")) {
    return { skip: "needs a workspace in restricted mode, which only the code-server specs set up (npm run test:e2e)" };
  }
  const found = pythons.findPythons();
  const newest = found[found.length - 1];
  if (!newest) return { skip: `finds no CPython 3.${pythons.MIN_MINOR}-3.${pythons.MAX_MINOR} on this machine` };
  const pythonPath = { "gilTimeline.pythonPath": newest.executable };
  switch (name) {
    case "activation.host.ts":
      return { files: {}, settings: {}, env: {}, extensions: [] };
    case "editor.host.ts": {
      const old = oldPython(pythons);
      return { files: EDITOR_EXTRA_FILES, settings: pythonPath, env: old ? { GIL_TIMELINE_E2E_OLD_PYTHON: old.executable } : {}, extensions: [] };
    }
    case "pythonExtension.host.ts": {
      // As python-extension.e2e.ts: the stand-in selects the oldest CPython, the setting names the newest.
      const oldest = found[0];
      if (found.length < 2) return { skip: "needs two CPythons (one selected in the Python extension stand-in, another in gilTimeline.pythonPath)" };
      return {
        files: {},
        settings: pythonPath,
        env: { GIL_TIMELINE_E2E_SELECTED_PYTHON: oldest.executable, GIL_TIMELINE_E2E_SELECTED_VERSION: oldest.version },
        extensions: [join(root, "test", "e2e", "python-extension-stand-in")],
      };
    }
    default:
      return { skip: `electron-plan.mjs does not know what ${name} needs (workspace files, settings, environment): add it there` };
  }
}

/**
 * Makes a plan real under a fresh temporary folder: the workspace (examples/ copied, plus the plan's
 * files) and a user-data folder with the plan's settings. Returns the paths for runTests.
 */
export function prepareHostRun(name, plan) {
  const dir = mkdtempSync(join(tmpdir(), `gil-electron-${basename(name, ".host.ts")}-`));
  const workspace = join(dir, "workspace");
  cpSync(join(root, "examples"), workspace, { recursive: true });
  for (const [rel, content] of Object.entries(plan.files)) {
    mkdirSync(dirname(join(workspace, rel)), { recursive: true });
    writeFileSync(join(workspace, rel), content);
  }
  const userData = join(dir, "user-data");
  mkdirSync(join(userData, "User"), { recursive: true });
  const settings = { "workbench.startupEditor": "none", "telemetry.telemetryLevel": "off", "extensions.autoUpdate": false, ...plan.settings };
  writeFileSync(join(userData, "User", "settings.json"), JSON.stringify(settings, null, 2));
  return { dir, workspace, userData, extensionsDir: join(dir, "extensions") };
}
