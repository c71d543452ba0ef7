// The exception at the end of a Python traceback on stderr, for the one case the trace cannot hold
// it: the tracer failed before writing the process's end record.
import type { ScriptError } from "./types";

const FILE_LINE = /^\s*File "(.+)", line (\d+)/;
const EXCEPTION_LINE = /^([A-Za-z_][\w.]*)(?::\s?(.*))?$/;

export function lastException(stderr: string): ScriptError | null {
  const lines = stderr.split(/\r?\n/);
  let at = lines.length - 1;
  while (at >= 0 && !lines[at].trim()) at--;
  const match = at >= 0 ? EXCEPTION_LINE.exec(lines[at]) : null;
  if (!match || !lines.slice(0, at).some((l) => l.startsWith("Traceback") || FILE_LINE.test(l))) return null;
  let file: string | null = null;
  let line: number | null = null;
  for (let i = at - 1; i >= 0; i--) {
    const where = FILE_LINE.exec(lines[i]);
    if (where) {
      file = where[1];
      line = Number(where[2]);
      break;
    }
  }
  return { type: match[1], message: match[2] ?? "", file, line };
}
