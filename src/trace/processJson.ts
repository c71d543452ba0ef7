// The JSON payloads of process and process-end chunks (docs/trace-format.md), parsed and checked.
// A trace is input from outside: a damaged or hand-made file must stop the decoder with a message,
// not crash the model later on a missing field.
import type { ProcessEnd, ProcessHeader } from "./store";
import type { SourceSite } from "./types";

/** Damage inside a chunk whose CRC matched (a writer bug or a hand-made file). */
export class ChunkError extends Error {}

const utf8 = new TextDecoder("utf-8", { fatal: false });

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const num = (v: unknown, fallback: number): number => (typeof v === "number" && Number.isFinite(v) ? v : fallback);
const str = (v: unknown): string => (typeof v === "string" ? v : "");
const strOrNull = (v: unknown): string | null => (typeof v === "string" ? v : null);

export function processHeader(bytes: Uint8Array): ProcessHeader {
  const v = parseJson(bytes);
  if (!isObject(v) || typeof v.pid !== "number" || typeof v.startNs !== "number" || !isObject(v.python)) {
    throw new ChunkError("a process chunk lacks pid, startNs or python");
  }
  const py = v.python;
  return {
    pid: v.pid,
    parentPid: typeof v.parentPid === "number" ? v.parentPid : null,
    python: {
      executable: str(py.executable), version: str(py.version), implementation: str(py.implementation) || "cpython",
      gilEnabled: py.gilEnabled !== false, freeThreaded: py.freeThreaded === true,
    },
    switchIntervalS: num(v.switchIntervalS, 0.005),
    mechanism: str(v.mechanism),
    races: v.races === true,
    startNs: v.startNs,
    startEpochNs: num(v.startEpochNs, 0),
    script: strOrNull(v.script),
    module: strOrNull(v.module),
    argv: Array.isArray(v.argv) ? v.argv.map(String) : [],
    cwd: str(v.cwd),
    scope: Array.isArray(v.scope) ? v.scope.map(String) : [],
    startMethod: strOrNull(v.startMethod),
    target: functionPlace(v.target),
    tasks: Array.isArray(v.tasks) ? v.tasks.map(functionPlace).filter((t): t is SourceSite => t !== null) : [],
  };
}

/** {"function", "file", "line"} of a process target or pool task; null when absent or malformed. */
function functionPlace(v: unknown): SourceSite | null {
  if (!isObject(v) || typeof v.function !== "string") return null;
  return { function: v.function, file: str(v.file), line: num(v.line, 0) };
}

export function processEnd(bytes: Uint8Array): ProcessEnd {
  const v = parseJson(bytes);
  if (!isObject(v) || typeof v.endNs !== "number") throw new ChunkError("a process end chunk lacks endNs");
  const e = v.error;
  return {
    exitCode: typeof v.exitCode === "number" ? v.exitCode : null,
    how: str(v.how),
    signal: typeof v.signal === "number" ? v.signal : null,
    error: isObject(e)
      ? {
          type: str(e.type), message: str(e.message), file: strOrNull(e.file),
          line: typeof e.line === "number" ? e.line : null, traceback: strOrNull(e.traceback) ?? undefined,
        }
      : null,
    endNs: v.endNs,
    records: num(v.records, 0),
    dropped: num(v.dropped, 0),
  };
}

function parseJson(bytes: Uint8Array): unknown {
  const text = utf8.decode(bytes);
  try {
    return JSON.parse(text);
  } catch {
    throw new ChunkError("a process chunk does not hold valid JSON");
  }
}
