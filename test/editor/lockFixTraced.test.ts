// The quick fix against the real tracer: lab 04's race is found, the fixed text is traced again on
// every CPython found, and the race on `counter` is gone (and the script now counts right).
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { applyLineEdits, lockFix } from "../../src/editor/lockFix";
import { raceLinesByFile } from "../../src/editor/raceText";
import { runTracer } from "../../src/run/runTracer";
import { testPythons } from "../helpers/pythons";

const LAB = resolve(__dirname, "../../examples/04_counter_sleep_race.py");

describe.each(testPythons().map((p) => [p.version, p.executable]))("quick fix on CPython %s", (_v, python) => {
  it("removes the lost update of lab 04 on re-run", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gil-fix-"));
    const script = join(dir, "lab.py");
    writeFileSync(script, readFileSync(LAB, "utf8"));
    const before = await runTracer({ python, script, cwd: dir, out: join(dir, "before.trace"), timeoutS: 60 });
    const race = before.model.races.find((r) => r.variable === "counter");
    expect(race, "no race on counter before the fix").toBeDefined();
    const lines = raceLinesByFile(race!).get(script) ?? [];
    const fix = lockFix(readFileSync(script, "utf8"), race!.variable, lines);
    expect(fix?.lock).toBe("counter_lock");
    writeFileSync(script, applyLineEdits(readFileSync(script, "utf8"), fix!.edits));
    let stdout = "";
    const after = await runTracer({
      python, script, cwd: dir, out: join(dir, "after.trace"), timeoutS: 60, onStdout: (d) => (stdout += d.toString()),
    });
    expect(after.exitCode).toBe(0);
    expect(after.model.races.filter((r) => r.variable === "counter")).toEqual([]);
    expect(stdout).toMatch(/^no lost updates$/m); // the lab prints this when the count is right
  });
});
