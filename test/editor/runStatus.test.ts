// How a run ended, in words, from real runs of the tracer (newest CPython found): finished, a syntax
// error with its line, an exception in the script, a timeout and a cancel of a script that never ends,
// a timeout in a deadlock.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runStatus } from "../../src/commands/runStatus";
import { runTracer, type RunOptions } from "../../src/run/runTracer";
import { testPythons } from "../helpers/pythons";

const python = testPythons()[testPythons().length - 1].executable;

async function statusOf(source: string, extra: Partial<RunOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), "gil-status-"));
  const script = join(dir, "s.py");
  writeFileSync(script, source);
  const result = await runTracer({ python, script, cwd: dir, out: join(dir, "t.trace"), ...extra });
  return runStatus(result, result.model, { timeoutS: extra.timeoutS ?? 0 });
}

const NEVER_ENDS = "import threading, time\nthreading.Thread(target=lambda: time.sleep(1000), daemon=True).start()\nwhile True:\n    time.sleep(0.05)\n";

describe("runStatus on real runs", () => {
  it("says done with the exit code", async () => {
    expect(await statusOf("import sys\nsys.exit(3)\n")).toEqual({ state: "done", exitCode: 3 });
  });

  it("names a syntax error and its line", async () => {
    const s = await statusOf("x = 1\n\ndef f(:\n    pass\n");
    expect(s.state).toBe("failed");
    expect(s.message).toMatch(/^SyntaxError at line 3: /);
  });

  it("names an uncaught exception", async () => {
    const s = await statusOf("def f():\n    raise ValueError('bad value')\nf()\n");
    expect(s).toMatchObject({ state: "failed", message: "ValueError at line 2: bad value" });
  });

  it("tells a timeout from a cancel", async () => {
    expect((await statusOf(NEVER_ENDS, { timeoutS: 1 })).message).toBe(
      "Stopped after the 1 s timeout (gilTimeline.timeoutSeconds).",
    );
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1000);
    expect(await statusOf(NEVER_ENDS, { signal: controller.signal })).toMatchObject({ state: "cancelled", message: "Stopped by you." });
  });

  it("says a run stopped by the timeout was stuck in a deadlock, and names it", async () => {
    const s = await statusOf(readFileSync(join(__dirname, "../trace/fixtures/deadlocks/two_locks_forever.py"), "utf8"), { timeoutS: 3 });
    expect(s.state).toBe("cancelled");
    expect(s.message).toMatch(
      /^Stopped after the 3 s timeout \(gilTimeline\.timeoutSeconds\)\. The program was stuck in a deadlock: worker-\d ⇄ worker-\d on lock_\w\/lock_\w\.$/,
    );
  }, 60_000);
});
