// The lesson's `counter += 1` from four threads, traced for real on every CPython found: a race
// point on `counter` every time, possible untraced only where the interpreter can switch between
// LOAD_GLOBAL and STORE_GLOBAL without our callbacks (3.8 and 3.9). Its `tmp = counter;
// time.sleep(0); counter = tmp + 1` variant can lose updates untraced on every version.
import { describe, expect, it } from "vitest";
import { testPythons } from "../helpers/pythons";
import { corpusScripts, traceScript, type CorpusScript } from "./corpus";

function corpusScript(name: string): CorpusScript {
  const script = corpusScripts().find((s) => s.name === name);
  if (!script) throw new Error(`test/corpus/${name} is missing`);
  return script;
}

describe("counter += 1 on every CPython found", () => {
  const script = corpusScript("r01_global_counter.py");
  const sleepy = corpusScript("r02_sleep_rmw.py");
  for (const py of testPythons()) {
    it(`${py.version}: the sleep(0) variant can lose updates untraced, because of the call`, async () => {
      const out = await traceScript(py.executable, sleepy);
      expect(out.exitCode).toBe(0);
      const [r] = out.races;
      expect([out.races.length, r.variable, r.possibleUntraced]).toEqual([1, "counter", true]);
      expect(r.explanation).toContain(`Can lose updates on 3.${py.minor} without the tracer`);
      if (py.minor >= 10) expect(r.explanation).toContain("the call to `time.sleep()` (line 13)");
    });

    it(`${py.version}: a race on counter, possible untraced ${py.minor <= 9}`, async () => {
      const out = await traceScript(py.executable, script);
      expect(out.exitCode).toBe(0);
      const races = out.races.filter((r) => r.variable === "counter");
      expect(races).toHaveLength(1);
      const [r] = races;
      expect(r.possibleUntraced).toBe(py.minor <= 9);
      expect(r.explanation).toContain(py.minor <= 9 ? `Can lose updates on 3.${py.minor} without the tracer` : `Safe by accident on 3.${py.minor}`);
      expect(r.accesses.some((a) => a.op === "write" && a.instruction === "STORE_GLOBAL")).toBe(true);
      if (r.kind === "lost-update") {
        const last = r.interleaving[r.interleaving.length - 1];
        expect([last.instruction, last.note]).toEqual(["STORE_GLOBAL", "lost update"]);
      }
    });
  }
});
