// The stderr fallback for script.error, on what real interpreters print (untraced runs).
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { lastException } from "../../src/trace/traceback";
import { testPythons } from "../helpers/pythons";

const FIX = resolve(__dirname, "fixtures");

describe.each(testPythons().map((p) => [p.version, p.executable]))("lastException on CPython %s", (_v, python) => {
  it("finds a SyntaxError's file and line", () => {
    const r = spawnSync(python, [`${FIX}/syntax_error.py`], { encoding: "utf8" });
    expect(lastException(r.stderr)).toEqual({ type: "SyntaxError", message: "invalid syntax", file: `${FIX}/syntax_error.py`, line: 4 });
  });

  it("finds a runtime exception's innermost frame, and nothing in clean output", () => {
    const r = spawnSync(python, ["-c", "def f():\n    raise KeyError('k')\nf()"], { encoding: "utf8" });
    expect(lastException(r.stderr)).toEqual({ type: "KeyError", message: "'k'", file: "<string>", line: 2 });
    expect(lastException("all good\n")).toBeNull();
    expect(lastException("")).toBeNull();
  });
});
