// targets.py on every CPython found: the real grammar of each version finds the same thread targets.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { scanThreadTargets, TargetScanCache, type TargetScan, type TargetSite } from "../../src/editor/threadTargets";
import { testPythons } from "../helpers/pythons";

const ROOT = resolve(__dirname, "../..");
const TARGETS = join(ROOT, "tracer/gil_timeline/targets.py");
const FIXTURE = join(__dirname, "fixtures/all_targets.py");

function brief(s: TargetSite): string {
  return `${s.kind} ${s.line}:${s.column}-${s.endLine} ${s.function ?? s.name} [${s.apis.join(",")}]`;
}

describe.each(testPythons().map((p) => [p.version, p.executable]))("targets.py on CPython %s", (_v, python) => {
  it("finds every form of thread and process creation in all_targets.py", async () => {
    const scan = await scanThreadTargets({ python, targetsScript: TARGETS, file: FIXTURE });
    expect(scan.error).toBeNull();
    expect(scan.sites.map(brief)).toEqual([
      "def 11:0-12 work [threading.Thread,executor.submit,executor.apply_async,multiprocessing.Process]",
      "def 15:0-16 crunch [executor.map,multiprocessing.Process,asyncio.to_thread]",
      "def 20:4-21 Worker.run [threading.Thread.run]",
      "def 25:4-26 Service.loop [threading.Thread]",
      "call 29:12-32 Service.loop [threading.Thread]", // multi-line call, method as target, `import threading as th`
      "call 37:8-37 work [threading.Thread]", // `from threading import Thread as T`
      "call 39:8-39 work [executor.submit]",
      "call 40:13-40 crunch [executor.map]",
      "call 41:8-41 crunch [multiprocessing.Process]", // `Process as P`
      "call 43:8-43 crunch [executor.map]", // Pool.map
      "call 44:8-44 work [executor.apply_async]",
      "call 45:8-45 work [multiprocessing.Process]",
      "call 46:16-46 crunch [asyncio.to_thread]",
    ]);
    const def = scan.sites.find((s) => s.kind === "def" && s.function === "work");
    expect(def?.callLines).toEqual([37, 39, 44, 45]);
    expect(def?.spawns).toEqual(["thread", "process"]);
  });

  it("parses unsaved text from stdin, with non-ASCII columns in UTF-16 units", async () => {
    const source = [
      "import threading",
      "def wörk(): pass",
      "x = '𝄞é'; t = threading.Thread(target=wörk)",
      "class W(threading.Thread):",
      "    def run(self):",
      "        self.loop = threading.Thread(target=lambda: None)",
    ].join("\n");
    const scan = await scanThreadTargets({ python, targetsScript: TARGETS, file: "/tmp/unsaved.py", source });
    expect(scan.sites.map(brief)).toEqual([
      "def 2:0-2 wörk [threading.Thread]",
      "call 3:15-3 wörk [threading.Thread]", // 𝄞 is two UTF-16 units, é one
      "def 5:4-6 W.run [threading.Thread.run]",
      "call 6:20-6 <lambda> [threading.Thread]",
    ]);
  });

  it("reports a syntax error with its line instead of failing", async () => {
    const scan: TargetScan = await scanThreadTargets({
      python, targetsScript: TARGETS, file: "/tmp/broken.py", source: "import threading\ndef f(:\n",
    });
    expect(scan.sites).toEqual([]);
    expect(scan.error?.type).toBe("SyntaxError");
    expect(scan.error?.line).toBe(2);
  });

  it("resolves targets defined after their use, nested functions and partials", async () => {
    const source = readFileSync(FIXTURE, "utf8").split("\n").slice(0, 9).join("\n") + [
      "",
      "import functools",
      "def outer():",
      "    def inner(): pass",
      "    th.Thread(target=functools.partial(inner, 1)).start()",
      "    th.Thread(target=later).start()",
      "    th.Thread(target=elsewhere.job).start()",
      "def later(): pass",
    ].join("\n");
    const scan = await scanThreadTargets({ python, targetsScript: TARGETS, file: "/tmp/more.py", source });
    expect(scan.sites.filter((s) => s.kind === "call").map((s) => `${s.line} ${s.function} ${s.name}`)).toEqual([
      "13 outer.<locals>.inner inner",
      "14 later later",
      "15 null job",
    ]);
  });
});

describe("TargetScanCache", () => {
  it("scans once per document version and retries after a failure", async () => {
    const cache = new TargetScanCache();
    let calls = 0;
    const ok = (): Promise<TargetScan> => {
      calls++;
      return Promise.resolve({ file: "f", sites: [], error: null });
    };
    await cache.get("f", 1, ok);
    await cache.get("f", 1, ok);
    expect(calls).toBe(1);
    await cache.get("f", 2, ok);
    expect(calls).toBe(2);
    await expect(cache.get("g", 1, () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await cache.get("g", 1, ok);
    expect(calls).toBe(3);
  });
});
