// `npm start`: the lab. Builds and packages the extension, makes sure the toolchain is installed, then
// serves a real VS Code in the browser (code-server on 127.0.0.1, no password) with the extension installed
// and examples/ open, until Ctrl+C. PORT picks the port (default: a free one).
import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { launchCodeServer } from "./code-server.mjs";
import { ensureToolchain, packagedVsix } from "./e2e-setup.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

function npmRun(script) {
  const result = spawnSync("npm", ["run", script], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function parsePort(raw) {
  if (raw === undefined || raw === "") return undefined;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PORT must be a port number, got ${raw}`);
  return port;
}

// Signals are handled from the start: one arriving while code-server starts still ends in a clean exit,
// and code-server.mjs kills a server that is running when this process exits.
let server;
let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  await server?.stop();
  process.exit(0);
};
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, shutdown);

npmRun("package");
ensureToolchain();
server = await launchCodeServer({
  workspace: join(root, "examples"),
  extensions: [packagedVsix()],
  port: parsePort(process.env.PORT),
});
console.log(`\nGIL Timeline lab: ${server.url}  (examples/ is open; no password)`);
console.log(`(code-server log: ${server.logPath}; Ctrl+C stops it)\n`);

server.child.once("exit", (code) => {
  if (stopping) return;
  console.error(`code-server exited unexpectedly (${code}); see ${server.logPath}`);
  process.exit(1);
});
