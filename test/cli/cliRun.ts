// Runs the real `gil-timeline` CLI (bundled from src/cli.ts once per test run) as a child process.
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import * as esbuild from "esbuild";

const ROOT = resolve(__dirname, "../..");
// Under node_modules/.cache so the bundle finds tracer/ by walking up, as dist/cli.js does.
const BUNDLE = resolve(ROOT, "node_modules/.cache/gil-timeline-cli-test/cli.js");
/** What bin/gil-timeline.js does, pointed at the test bundle. */
export const ENTRY = resolve(dirname(BUNDLE), "gil-timeline.js");
let built: Promise<unknown> | null = null;

export function buildCli(): Promise<unknown> {
  mkdirSync(dirname(BUNDLE), { recursive: true });
  writeFileSync(ENTRY, 'require("./cli.js").main(process.argv.slice(2)).then((c) => (process.exitCode = c));\n');
  built ??= esbuild.build({ entryPoints: [resolve(ROOT, "src/cli.ts")], bundle: true, platform: "node", format: "cjs", outfile: BUNDLE, logLevel: "error" });
  return built;
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
