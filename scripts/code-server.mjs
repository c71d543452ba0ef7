// Launches code-server (a real VS Code in the browser) on 127.0.0.1 with given extensions installed, in an
// isolated scratch folder, and stops it by killing its whole process group. Shared by `npm start`
// (scripts/lab.mjs) and the e2e harness (test/e2e/harness/code-server.ts); plain .mjs so both can use it.
import { spawn, spawnSync } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ensureToolchain } from "./e2e-setup.mjs";

const DEFAULT_SETTINGS = {
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "telemetry.telemetryLevel": "off",
  "extensions.autoUpdate": false,
  "extensions.autoCheckUpdates": false,
  "update.mode": "none",
  "chat.disableAIFeatures": true,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  // Workspaces (examples/, test copies) sit inside this repository: no "open the parent repository?" toast.
  "git.openRepositoryInParentFolders": "never",
};

/** A trusted workspace (trust checks off), or an untrusted one in restricted mode without a blocking modal. */
function trustSettings(trust) {
  return trust
    ? { "security.workspace.trust.enabled": false }
    : { "security.workspace.trust.enabled": true, "security.workspace.trust.startupPrompt": "never" };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** code-server would otherwise leave sockets and config in /tmp and ~; each instance gets its own. */
function isolatedEnv(dir, extra) {
  const env = { ...process.env, ...extra };
  const dirs = { TMPDIR: "tmp", XDG_RUNTIME_DIR: "run", XDG_CONFIG_HOME: "config", XDG_DATA_HOME: "data", XDG_CACHE_HOME: "cache" };
  for (const [name, sub] of Object.entries(dirs)) {
    env[name] = join(dir, sub);
    mkdirSync(env[name], { recursive: true, mode: 0o700 });
  }
  return env;
}

function logTail(path) {
  try {
    return readFileSync(path, "utf8").split("\n").slice(-30).join("\n");
  } catch {
    return "(no log)";
  }
}

// Servers still running when this process exits (a crashed spec, an uncaught error) are killed with it:
// detached process groups would otherwise outlive us.
const live = new Set();
process.once("exit", () => {
  for (const child of live) {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
});

/** SIGTERM to the process group (the server leaves a file-watcher child otherwise), SIGKILL if it lingers. */
async function killGroup(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const signal = (sig) => {
    try {
      process.kill(-child.pid, sig);
    } catch {
      // the group is already gone
    }
  };
  signal("SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
  signal("SIGKILL"); // stragglers that outlived the group leader
}

async function waitHealthy(url, child, logPath, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}:\n${logTail(logPath)}`);
    if (await fetch(`${url}healthz`).then((r) => r.ok, () => false)) return;
    if (Date.now() > deadline) throw new Error(`code-server not healthy on ${url} after ${timeoutMs} ms:\n${logTail(logPath)}`);
    await sleep(250);
  }
}

export async function launchCodeServer({ workspace, extensions, settings = {}, trust = true, env = {}, port, keepDir = false }) {
  const tools = ensureToolchain();
  const dir = mkdtempSync(join(tmpdir(), "gil-code-server-"));
  const ud = join(dir, "ud");
  const exts = join(dir, "exts");
  mkdirSync(join(ud, "User"), { recursive: true });
  const merged = { ...DEFAULT_SETTINGS, ...trustSettings(trust), ...settings };
  writeFileSync(join(ud, "User", "settings.json"), JSON.stringify(merged, null, 2));
  const fullEnv = isolatedEnv(dir, typeof env === "function" ? env(dir) : env);

  const common = [tools.codeServerEntry, "--user-data-dir", ud, "--extensions-dir", exts];
  const install = spawnSync(tools.nodeBin, [...common, ...extensions.flatMap((x) => ["--install-extension", x])], {
    env: fullEnv,
    encoding: "utf8",
    timeout: 120_000,
  });
  if (install.status !== 0) throw new Error(`installing ${extensions.join(", ")} failed:\n${install.stdout}${install.stderr}`);

  const boundPort = port ?? (await freePort());
  const logPath = join(dir, "code-server.log");
  const log = openSync(logPath, "a");
  const args = [
    ...common,
    "--bind-addr", `127.0.0.1:${boundPort}`,
    "--auth", "none",
    "--disable-telemetry",
    "--disable-update-check",
    "--disable-getting-started-override",
    "--ignore-last-opened",
    ...(trust ? ["--disable-workspace-trust"] : []),
    workspace,
  ];
  // detached = setsid: its own process group, so stop() takes the watcher and extension host with it.
  const child = spawn(tools.nodeBin, args, { detached: true, env: fullEnv, stdio: ["ignore", log, log] });
  closeSync(log);
  live.add(child);
  child.once("exit", () => live.delete(child));
  const url = `http://127.0.0.1:${boundPort}/`;
  const stop = async () => {
    await killGroup(child);
    if (!keepDir) rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitHealthy(url, child, logPath, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port: boundPort, dir, logPath, child, stop };
}
