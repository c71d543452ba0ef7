// The host runner reports what really happened: passes, failures with their message, timeouts, and files
// that cannot load. Runs the real bundling and runFiles in plain Node (no VS Code needed for this part).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { bundleHostTests, repoRoot } from "./harness";
import { workRoot } from "./harness/paths";
import { run as runForTestElectron } from "./host-runner/src/electron-index";
import { HOST_DIR, loadPythons, planHostRun, prepareHostRun } from "./host-runner/electron-plan.mjs";
import { HOST_TESTS_ENV } from "./host-runner/src/result";
import { EDITOR_EXTRA_FILES } from "./host/workspaces.mjs";
import { loadFresh, runFiles } from "./host-runner/src/run-files";

const api = join(__dirname, "host-runner", "src", "api").split("\\").join("/");

function fixture(name: string, body: string): string {
  const dir = join(workRoot, "fixtures");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, `import { suite, test } from ${JSON.stringify(api)};\n${body}\n`);
  return path;
}

describe("host runner", () => {
  it("reports passing, failing and timed-out tests by suite-qualified name", async () => {
    const [file] = await bundleHostTests([
      fixture(
        "mixed.host.ts",
        `suite("s", () => {
          test("passes", () => {});
          test("fails", () => { throw new Error("boom 42"); });
          test("hangs", () => new Promise(() => {}), { timeoutMs: 200 });
        });
        test("async passes", async () => { await new Promise((r) => setTimeout(r, 10)); });`,
      ),
    ]);
    const result = await runFiles([file!], loadFresh);
    expect(result.results.map((t) => [t.name, t.passed])).toEqual([
      ["s › passes", true],
      ["s › fails", false],
      ["s › hangs", false],
      ["async passes", true],
    ]);
    expect(result.results[1]!.error).toContain("boom 42");
    expect(result.results[2]!.error).toContain("timed out after 200 ms");
    expect([result.passed, result.failed]).toEqual([2, 2]);
  });

  it("runs each file's own tests once and reports a file that cannot load", async () => {
    const [good, bad] = await bundleHostTests([
      fixture("one.host.ts", `test("only", () => {});`),
      fixture("broken.host.ts", `throw new Error("cannot load me");`),
    ]);
    const result = await runFiles([good!, bad!], loadFresh);
    expect(result.results.map((t) => t.name)).toEqual(["only"]);
    expect(result.fatal).toContain("cannot load me");
  });

  it("fails the @vscode/test-electron entry point when a test fails, and passes it otherwise", async () => {
    const [good, bad] = await bundleHostTests([
      fixture("electron-good.host.ts", `test("fine", () => {});`),
      fixture("electron-bad.host.ts", `test("not fine", () => { throw new Error("nope"); });`),
    ]);
    const saved = process.env[HOST_TESTS_ENV];
    try {
      process.env[HOST_TESTS_ENV] = JSON.stringify([good]);
      await expect(runForTestElectron()).resolves.toBeUndefined();
      process.env[HOST_TESTS_ENV] = JSON.stringify([good, bad]);
      await expect(runForTestElectron()).rejects.toThrow("1 of 2 in-host tests failed");
    } finally {
      if (saved === undefined) delete process.env[HOST_TESTS_ENV];
      else process.env[HOST_TESTS_ENV] = saved;
    }
  });
});

describe("npm run test:electron's plans (electron-plan.mjs; the desktop VS Code itself cannot be downloaded here)", () => {
  it("gives every host file a temporary workspace outside the repository with what it needs, or says why it skips it", async () => {
    const scratch = mkdtempSync(join(tmpdir(), "gil-electron-plan-"));
    try {
      const pythons = await loadPythons(scratch);
      const names = readdirSync(HOST_DIR).filter((f) => f.endsWith(".host.ts"));
      expect(names).toContain("editor.host.ts");
      for (const name of names) {
        const plan = planHostRun(name, pythons);
        if ("skip" in plan) {
          expect(name, plan.skip).toMatch(/\.untrusted\.host\.ts$/); // only those are left to code-server
          continue;
        }
        const run = prepareHostRun(name, plan);
        try {
          expect(relative(repoRoot, run.workspace).startsWith("..")).toBe(true);
          expect(existsSync(join(run.workspace, "04_counter_sleep_race.py"))).toBe(true);
          for (const [rel, content] of Object.entries(plan.files)) expect(readFileSync(join(run.workspace, rel), "utf8")).toBe(content);
          const settings = JSON.parse(readFileSync(join(run.userData, "User", "settings.json"), "utf8")) as Record<string, unknown>;
          for (const [key, value] of Object.entries(plan.settings)) expect(settings[key]).toEqual(value);
          for (const ext of plan.extensions) expect(existsSync(join(ext, "package.json"))).toBe(true);
        } finally {
          rmSync(run.dir, { recursive: true, force: true });
        }
      }
      const editor = planHostRun("editor.host.ts", pythons);
      expect("skip" in editor ? editor.skip : editor.files).toEqual(EDITOR_EXTRA_FILES);
      const python = planHostRun("pythonExtension.host.ts", pythons);
      if (!("skip" in python)) {
        expect(python.env.GIL_TIMELINE_E2E_SELECTED_PYTHON).toBeTruthy();
        expect(python.env.GIL_TIMELINE_E2E_SELECTED_PYTHON).not.toBe(python.settings["gilTimeline.pythonPath"]);
        const standIn = JSON.parse(readFileSync(join(python.extensions[0]!, "package.json"), "utf8")) as { publisher: string; name: string };
        expect(`${standIn.publisher}.${standIn.name}`).toBe("ms-python.python");
      }
      expect("skip" in planHostRun("new.host.ts", pythons)).toBe(true);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
