// The host runner reports what really happened: passes, failures with their message, timeouts, and files
// that cannot load. Runs the real bundling and runFiles in plain Node (no VS Code needed for this part).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bundleHostTests } from "./harness";
import { workRoot } from "./harness/paths";
import { run as runForTestElectron } from "./host-runner/src/electron-index";
import { HOST_TESTS_ENV } from "./host-runner/src/result";
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
