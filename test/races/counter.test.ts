// The lesson's `counter += 1` from four threads, traced for real on every CPython found: a race
// point on `counter` every time, possible untraced only where the interpreter can switch between
// LOAD_GLOBAL and STORE_GLOBAL without our callbacks (3.8 and 3.9).
import { describe, expect, it } from "vitest";
import { testPythons } from "../helpers/pythons";
import { corpusScripts, traceScript } from "./corpus";


describe("counter += 1 on every CPython found", () => {
  const script = corpusScripts().find((s) => s.name === "r01_global_counter.py");
  if (!script) throw new Error("test/corpus/r01_global_counter.py is missing");
  for (const py of testPythons()) {
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
