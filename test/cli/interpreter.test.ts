// The CLI's interpreter choice: --python, else python3/python on PATH; CPython 3.8+ only.
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chooseInterpreter } from "../../src/run/interpreter";
import { findPythons, probePython } from "../../src/run/pythons";
import { testPythons } from "../helpers/pythons";

/** A stand-in executable that answers the version probe like an old interpreter would. */
function fakePython(answer: string, dir = mkdtempSync(join(tmpdir(), "gil-fake-python-")), name = "python3"): string {
  const path = join(dir, name);
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

describe("findPythons", () => {
  it("says which real interpreters are free-threaded (none here: every one has its GIL)", () => {
    for (const p of testPythons()) expect(probePython(p.executable)?.freeThreaded).toBe(false);
  });

  it("keeps a free-threaded build beside the GIL build of its version", () => {
    // Stand-ins for the interpreters (no free-threaded CPython can be installed on these machines):
    // they answer the probe as python3.13 and python3.13t would.
    const dir = mkdtempSync(join(tmpdir(), "gil-fake-pythons-"));
    fakePython("CPython 3.13.0 0", dir, "python3.13");
    fakePython("CPython 3.13.0 1", dir, "python3.13t");
    const saved = { PATH: process.env.PATH, PYENV_ROOT: process.env.PYENV_ROOT };
    process.env.PATH = dir;
    process.env.PYENV_ROOT = join(dir, "no-pyenv");
    try {
      const found = findPythons();
      expect(found.map((p) => [p.executable, p.freeThreaded])).toEqual([
        [join(dir, "python3.13"), false],
        [join(dir, "python3.13t"), true],
      ]);
    } finally {
      process.env.PATH = saved.PATH;
      if (saved.PYENV_ROOT === undefined) delete process.env.PYENV_ROOT;
      else process.env.PYENV_ROOT = saved.PYENV_ROOT;
    }
  });
});
