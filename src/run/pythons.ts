// Finds CPython interpreters on this machine: PATH (python3.X, python3, python) and pyenv's versions.
// Never hard-codes a path: pyenv's root comes from $PYENV_ROOT or ~/.pyenv.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, realpathSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";

export interface PythonInstall {
  executable: string;
  /** e.g. "3.12.1" */
  version: string;
  major: number;
  minor: number;
  /** A free-threaded build (Py_GIL_DISABLED, e.g. python3.13t): found beside the GIL build of its version. */
  freeThreaded: boolean;
}

export const MIN_MINOR = 8;
export const MAX_MINOR = 13;

function candidates(): string[] {
  const found: string[] = [];
  const names = ["python3", "python"];
  for (let m = MIN_MINOR; m <= MAX_MINOR; m++) names.push(`python3.${m}`, `python3.${m}t`);
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir || dir.includes("/.pyenv/shims")) continue; // shims resolve to one version only
    for (const n of names) found.push(join(dir, n));
  }
  const pyenvRoot = process.env.PYENV_ROOT ?? join(homedir(), ".pyenv");
  const versions = join(pyenvRoot, "versions");
  if (existsSync(versions)) {
    for (const v of readdirSync(versions)) found.push(join(versions, v, "bin", "python3"));
  }
  return found.filter((p) => existsSync(p));
}

/** Version of one interpreter, or null if it does not run or is not CPython. */
export function probePython(executable: string): PythonInstall | null {
  try {
    const out = execFileSync(
      executable,
      [
        "-c",
        "import sys,platform,sysconfig;print(platform.python_implementation(), '%d.%d.%d' % sys.version_info[:3], " +
          "1 if sysconfig.get_config_var('Py_GIL_DISABLED') else 0)",
      ],
      { encoding: "utf8", timeout: 10_000, stdio: ["ignore", "pipe", "ignore"] },
    ).trim();
    const [impl, version, noGil] = out.split(" ");
    if (impl !== "CPython" || !version) return null;
    const [major, minor] = version.split(".").map(Number);
    return { executable, version, major, minor, freeThreaded: noGil === "1" };
  } catch {
    return null;
  }
}

/** One interpreter per minor version 3.8-3.13 (and one more per free-threaded build), the first found
 * that `accept`s (e.g. one that ships an optional part of the standard library); sorted by version. */
export function findPythons(accept: (p: PythonInstall) => boolean = () => true): PythonInstall[] {
  const byMinor = new Map<string, PythonInstall>();
  const seen = new Set<string>();
  for (const c of candidates()) {
    let real: string;
    try {
      real = realpathSync(c);
    } catch {
      continue;
    }
    if (seen.has(real)) continue;
    seen.add(real);
    const p = probePython(c);
    if (!p || p.major !== 3 || p.minor < MIN_MINOR || p.minor > MAX_MINOR) continue;
    const key = `${p.minor}${p.freeThreaded ? "t" : ""}`;
    if (!byMinor.has(key) && accept(p)) byMinor.set(key, p);
  }
  return [...byMinor.values()].sort((a, b) => a.minor - b.minor || Number(a.freeThreaded) - Number(b.freeThreaded));
}
