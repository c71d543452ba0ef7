// The interpreters every tracer test runs on. Tests fail (not skip) when fewer than two are found:
// the tracer's promise is 3.8-3.13, and one version proves little.
import { findPythons, type PythonInstall } from "../../src/run/pythons";

let cached: PythonInstall[] | null = null;

export function testPythons(): PythonInstall[] {
  if (!cached) {
    cached = findPythons();
    if (cached.length < 2) {
      throw new Error(`found ${cached.length} CPython 3.8-3.13 interpreter(s); the tracer tests need at least two`);
    }
  }
  return cached;
}
