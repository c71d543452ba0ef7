// The interpreter the CLI runs: --python PATH, else python3, else python on PATH; CPython >= 3.8.
import { MIN_MINOR, probePython, type PythonInstall } from "./pythons";

export function chooseInterpreter(explicit?: string): PythonInstall {
  const candidates = explicit ? [explicit] : ["python3", "python"];
  for (const candidate of candidates) {
    const found = probePython(candidate);
    if (!found) continue;
    if (found.major !== 3 || found.minor < MIN_MINOR) {
      throw new Error(`${candidate} is Python ${found.version}; GIL Timeline needs CPython 3.${MIN_MINOR} or newer (pass --python PATH)`);
    }
    return found;
  }
  throw new Error(
    explicit
      ? `cannot run ${explicit} as a CPython interpreter (is the path right, and is it CPython 3.${MIN_MINOR}+?)`
      : "no python3 or python found on PATH; pass --python PATH",
  );
}
