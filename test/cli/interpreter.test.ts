// The CLI's interpreter choice: --python, else python3/python on PATH; CPython 3.8+ only.
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chooseInterpreter } from "../../src/run/interpreter";
import { testPythons } from "../helpers/pythons";

/** A stand-in executable that answers the version probe like an old interpreter would. */
function fakePython(answer: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "gil-fake-python-")), "python3");
  writeFileSync(path, `#!/bin/sh\necho "${answer}"\n`);
  chmodSync(path, 0o755);
  return path;
}

describe("chooseInterpreter", () => {
  it("takes --python when it is CPython 3.8+", () => {
    for (const p of testPythons()) expect(chooseInterpreter(p.executable)).toMatchObject({ version: p.version, minor: p.minor });
  });

  it("falls back to python3 on PATH", () => {
    expect(chooseInterpreter().minor).toBeGreaterThanOrEqual(8);
  });

  it("refuses an interpreter older than 3.8 with its version", () => {
    expect(() => chooseInterpreter(fakePython("CPython 3.7.9"))).toThrow(/is Python 3\.7\.9; GIL Timeline needs CPython 3\.8 or newer/);
  });

  it("refuses what is not CPython", () => {
    expect(() => chooseInterpreter(fakePython("PyPy 3.10.14"))).toThrow(/cannot run .* as a CPython interpreter/);
  });
});
