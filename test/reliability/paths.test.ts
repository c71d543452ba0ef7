// Issue 6: paths with spaces, quotes and non-ASCII names. A script (with a sibling module, a
// thread and a spawn child) in a folder named like `it's a "lab" ü 日本` is traced through the CLI
// (script path, --out and --json in that folder, cwd inside it), through runTracer, and through a
// copy of the packaged layout (dist/cli.js next to tracer/) installed under such a name, the way
// an extension folder with spaces is used. Also: no source file may start a shell.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runTracer } from "../../src/run/runTracer";
import { tracerDir } from "../../src/run/tracerPath";
import { decodeTrace } from "../../src/trace/decode";
import type { TraceSummary } from "../../src/trace/summary";
import { buildCli, ENTRY } from "../cli/cliRun";
import { testPythons } from "../helpers/pythons";
import { leftBehind, marker, runCli, runPlain, scriptStderr, SCRIPTS } from "./run";

const ROOT = resolve(__dirname, "../..");
const AWKWARD = `it's a "lab" ü 日本`;
const ARGS = ["a b", '"quoted"', "it's", "ü 日本", "$HOME", "*"];
const all = testPythons();
const pythons = [all[0], all[all.length - 1]].map((p) => [p.version, p.executable] as const);

/** A fresh copy of scripts/awkward_path/ in a folder with an awkward name (under a temp dir with a space). */
function awkwardFolder(): string {
  const dir = join(mkdtempSync(join(tmpdir(), "gil paths ")), AWKWARD);
  mkdirSync(dir);
  cpSync(join(SCRIPTS, "awkward_path"), dir, { recursive: true });
  return dir;
}

const EXPECTED_STDOUT =
  [
    `folder: ${AWKWARD}`,
    "cwd is the folder: True",
    `argv: ${pythonRepr(ARGS)}`,
    `hello from the sibling, thread: ü 日本 "quoted" 'single'`,
    `hello from the sibling, child: ü 日本 "quoted" 'single'`,
    "child exit code 0",
    "",
  ].join("\n");

/** repr() of a list of str as Python prints it (these strings need no escapes beyond quote choice). */
function pythonRepr(list: string[]): string {
  return `[${list.map((s) => (s.includes("'") && !s.includes('"') ? `"${s}"` : `'${s.replace(/'/g, "\\'")}'`)).join(", ")}]`;
}

describe.each(pythons)("Python %s", (_version, python) => {
  it("the CLI: relative script, --out and --json inside the awkward folder, cwd inside it", async () => {
    const dir = awkwardFolder();
    const [markPlain, markTraced] = [marker(), marker()];
    const out = join(dir, `trace "1" ü.gtl`);
    const json = join(dir, "summary 日本.json");
    const [plain, traced] = await Promise.all([
      runPlain(python, ["main.py", ...ARGS, markPlain], { cwd: dir }),
      runCli(python, ["--out", out, "--json", json], ["main.py", ...ARGS, markTraced], { cwd: dir }),
    ]);
    expect(plain.stdout.toString()).toBe(EXPECTED_STDOUT);
    expect(plain.stderr.toString()).toBe("");
    expect(traced.stdout.equals(plain.stdout)).toBe(true);
    expect(scriptStderr(traced.stderr).script.toString()).toBe("");
    expect(traced.code).toBe(0);

    const store = decodeTrace(new Uint8Array(readFileSync(out)));
    expect(store.problem).toBeNull();
    expect(store.processes).toHaveLength(2); // the spawn child found the tracer's sitecustomize
    expect(store.processes[0].header.cwd).toBe(dir);
    const summary = JSON.parse(readFileSync(json, "utf8")) as TraceSummary;
    expect(summary.script.path).toBe(join(dir, "main.py"));
    expect(summary.processes[0].threads.map((t) => t.name)).toContain("greeter ü");
    expect(summary.processes.map((p) => p.exitCode)).toEqual([0, 0]);
    expect([...(await leftBehind(markPlain)), ...(await leftBehind(markTraced))]).toEqual([]);
  });

  it("runTracer: an absolute script path and the trace file in the awkward folder", async () => {
    const dir = awkwardFolder();
    const stdout: Buffer[] = [];
    const result = await runTracer({
      python,
      script: join(dir, "main.py"),
      args: [...ARGS, marker()],
      cwd: dir,
      out: join(dir, "t 'ü'.gtl"),
      onStdout: (d) => stdout.push(d),
    });
    expect(result.exitCode).toBe(0);
    expect(Buffer.concat(stdout).toString()).toBe(EXPECTED_STDOUT);
    expect(result.model.problem).toBeNull();
    expect(result.model.processes.map((p) => p.script)).toContain(join(dir, "main.py"));
    expect(statSync(join(dir, "t 'ü'.gtl")).size).toBeGreaterThan(0);
  });

  it("the packaged layout (bin/, dist/cli.js and tracer/) installed under an awkward name", async () => {
    await buildCli();
    const ext = join(mkdtempSync(join(tmpdir(), "gil ext ")), `ext "dir" ü 日本`);
    cpSync(join(dirname(ENTRY), "cli.js"), join(ext, "dist", "cli.js"));
    cpSync(join(ROOT, "bin", "gil-timeline.js"), join(ext, "bin", "gil-timeline.js"));
    cpSync(join(ROOT, "tracer", "gil_timeline"), join(ext, "tracer", "gil_timeline"), {
      recursive: true,
      filter: (src) => !src.includes("__pycache__"),
    });
    // What the CLI and the extension do from their bundle's folder.
    expect(tracerDir(join(ext, "dist"))).toBe(join(ext, "tracer", "gil_timeline"));

    const dir = awkwardFolder();
    const out = join(dir, "packaged.gtl");
    const traced = await runPlain(process.execPath, [join(ext, "bin", "gil-timeline.js"), "trace", "--python", python, "--out", out, "main.py", ...ARGS, marker()], { cwd: dir });
    expect(traced.stdout.toString()).toBe(EXPECTED_STDOUT);
    expect(scriptStderr(traced.stderr).script.toString()).toBe("");
    expect(traced.code).toBe(0);
    const store = decodeTrace(new Uint8Array(readFileSync(out)));
    expect(store.problem).toBeNull();
    expect(store.processes).toHaveLength(2);
    // The copy ran, not the repository's tracer: Python compiled it where it was installed.
    expect(readdirSync(join(ext, "tracer", "gil_timeline", "__pycache__")).length).toBeGreaterThan(0);
  });
});

/** Where a source file could start a shell: child_process exec/execSync, a namespace import, `shell:`. */
export function shellUses(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*["'](?:node:)?child_process["']/g)) {
    for (const name of m[1].split(",").map((n) => n.trim().split(/\s+as\s+/)[0])) {
      if (name === "exec" || name === "execSync") found.push(`imports ${name}`);
    }
  }
  if (/import\s+\*\s+as\s+\w+\s+from\s*["'](?:node:)?child_process["']|require\(\s*["'](?:node:)?child_process["']\s*\)/.test(source)) {
    found.push("imports the whole child_process module");
  }
  for (const m of source.matchAll(/\bshell\s*:\s*([^,}\s]+)/g)) if (m[1] !== "false") found.push(`shell: ${m[1]}`);
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

describe("no shell", () => {
  it("the check finds each way of starting a shell", () => {
    expect(shellUses('import { spawn, exec } from "node:child_process";')).toEqual(["imports exec"]);
    expect(shellUses("import { execSync as run } from 'child_process';")).toEqual(["imports execSync"]);
    expect(shellUses('import * as cp from "child_process";')).toHaveLength(1);
    expect(shellUses('const cp = require("node:child_process");')).toHaveLength(1);
    expect(shellUses('spawn(file, args, { cwd, shell: true })')).toEqual(["shell: true"]);
    expect(shellUses('spawn(file, args, { shell: "/bin/sh" })')).toHaveLength(1);
    expect(shellUses('import { spawn, execFileSync } from "node:child_process"; spawn(f, a, { shell: false }); /x/.exec(s);')).toEqual([]);
  });

  it("no file under src/ starts a shell (child processes get argument arrays)", () => {
    const files = sourceFiles(join(ROOT, "src"));
    expect(files.length).toBeGreaterThan(20);
    const uses = files.flatMap((f) => shellUses(readFileSync(f, "utf8")).map((u) => `${f.slice(ROOT.length + 1)}: ${u}`));
    expect(uses).toEqual([]);
  });
});
