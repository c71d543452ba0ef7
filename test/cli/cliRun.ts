// Runs the real `gil-timeline` CLI (bundled from src/cli.ts once per test run) as a child process.
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import * as esbuild from "esbuild";

const ROOT = resolve(__dirname, "../..");
// Under the checkout (gitignored .vitest/) so the bundle finds this checkout's tracer/ by walking up,
// as dist/cli.js does; one per test process, so a build by another process (or another checkout
// whose node_modules is a link to this one's) never replaces the bundle a test is running.
const BUNDLE = resolve(ROOT, `.vitest/cli-test/${process.pid}/cli.js`);
/** What bin/gil-timeline.js does, pointed at the test bundle. */
export const ENTRY = resolve(dirname(BUNDLE), "gil-timeline.js");
let built: Promise<unknown> | null = null;

export function buildCli(): Promise<unknown> {
  built ??= build();
  return built;
}

async function build(): Promise<void> {
  removeStaleBundles();
  mkdirSync(dirname(BUNDLE), { recursive: true });
  await esbuild.build({ entryPoints: [resolve(ROOT, "src/cli.ts")], bundle: true, platform: "node", format: "cjs", outfile: BUNDLE, logLevel: "error" });
  // Written once, and by rename: concurrent tests start the CLI while others call buildCli(), and a
  // node that read the entry while it was being rewritten found it empty and exited 0 doing nothing.
  const temp = `${ENTRY}.tmp`;
  writeFileSync(temp, 'require("./cli.js").main(process.argv.slice(2)).then((c) => (process.exitCode = c));\n');
  renameSync(temp, ENTRY);
}

/** Test processes are not always let finish: remove the bundles of those that are gone. */
function removeStaleBundles(): void {
  const all = dirname(dirname(BUNDLE));
  let entries: string[] = [];
  try {
    entries = readdirSync(all);
  } catch {
    return; // none yet
  }
  for (const pid of entries) {
    try {
      process.kill(Number(pid), 0);
    } catch {
      rmSync(resolve(all, pid), { recursive: true, force: true });
    }
  }
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export async function cli(args: string[], options: { cwd?: string; stdin?: string } = {}): Promise<CliResult> {
  await buildCli();
  const child = spawn(process.execPath, [ENTRY, ...args], {
    cwd: options.cwd ?? ROOT,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(options.stdin ?? "");
  const code = await new Promise<number | null>((res) => child.on("close", (c) => res(c)));
  return { code, stdout, stderr };
}
