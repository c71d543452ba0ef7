// The host runner reports what really happened: passes, failures with their message, timeouts, and files
// that cannot load. Runs the real bundling and runFiles in plain Node (no VS Code needed for this part).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bundleHostTests } from "./harness";
import { workRoot } from "./harness/paths";
import { runFiles } from "./host-runner/src/run-files";

const api = join(__dirname, "host-runner", "src", "api").split("\\").join("/");

function fixture(name: string, body: string): string {
  const dir = join(workRoot, "fixtures");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, `import { suite, test } from ${JSON.stringify(api)};\n${body}\n`);
  return path;
}

const load = (file: string): void => {
  delete require.cache[file];
  require(file);
};

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
    const result = await runFiles([file!], load);
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
    const result = await runFiles([good!, bad!], load);
    expect(result.results.map((t) => t.name)).toEqual(["only"]);
    expect(result.fatal).toContain("cannot load me");
  });
});
