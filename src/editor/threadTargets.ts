// Thread targets of a Python file, found by the user's own interpreter: tracer/gil_timeline/targets.py
// parses with Python's `ast` (the real grammar of the version that will run the script) and prints JSON.
// Pure: no vscode import, so the lens provider and the tests share it.
import { spawn } from "node:child_process";

export type Spawns = "thread" | "process";

/** One place a code lens belongs on (see the docstring of targets.py). */
export interface TargetSite {
  /** "call": a call that starts a thread or process; "def": the body such a call runs. */
  kind: "call" | "def";
  spawns: Spawns[];
  /** How it is started, e.g. `threading.Thread`, `executor.submit`, `threading.Thread.run`. */
  apis: string[];
  /** 1-based lines, 0-based UTF-16 columns. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Qualified name of the target as the tracer reports it (`work`, `Worker.run`); null if not in this file. */
  function: string | null;
  /** The name the user wrote, e.g. `loop` for `target=self.loop`. */
  name: string | null;
  targetLine: number | null;
  /** For "def": the lines of the calls that start it. */
  callLines: number[];
}

export interface TargetScan {
  file: string;
  sites: TargetSite[];
  error: { type: string; message: string; line: number | null; column: number | null } | null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function isSite(v: unknown): v is TargetSite {
  return (
    isRecord(v) &&
    (v.kind === "call" || v.kind === "def") &&
    typeof v.line === "number" &&
    typeof v.column === "number" &&
    Array.isArray(v.apis) &&
    Array.isArray(v.spawns)
  );
}

/** Checks the shape targets.py promises; throws on anything else (a broken or foreign script). */
export function parseTargetScan(json: string): TargetScan {
  const raw: unknown = JSON.parse(json);
  if (!isRecord(raw) || !Array.isArray(raw.sites) || !raw.sites.every(isSite)) {
    throw new Error("targets.py printed an unexpected document");
  }
  const error = isRecord(raw.error) ? (raw.error as TargetScan["error"]) : null;
  return { file: String(raw.file), sites: raw.sites, error };
}

export interface ScanOptions {
  python: string;
  /** Absolute path of tracer/gil_timeline/targets.py. */
  targetsScript: string;
  file: string;
  /** The editor's text; when given it is parsed instead of the file on disk (unsaved changes). */
  source?: string;
  timeoutMs?: number;
}

/** Runs targets.py (argument array, no shell) and returns its findings. */
export function scanThreadTargets(opts: ScanOptions): Promise<TargetScan> {
  const args = opts.source === undefined ? [opts.targetsScript, opts.file] : [opts.targetsScript, "--stdin", opts.file];
  return new Promise((resolve, reject) => {
    const child = spawn(opts.python, args, { stdio: ["pipe", "pipe", "pipe"], timeout: opts.timeoutMs ?? 15_000 });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) {
        reject(new Error(`targets.py exited with ${code}: ${Buffer.concat(err).toString("utf8").trim()}`));
        return;
      }
      try {
        resolve(parseTargetScan(Buffer.concat(out).toString("utf8")));
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
    child.stdin.on("error", () => undefined); // the child may exit before reading (bad interpreter)
    child.stdin.end(opts.source ?? "");
  });
}

/** One scan per document version: lenses are asked for often, the file changes rarely. */
export class TargetScanCache {
  private readonly entries = new Map<string, { version: number; scan: Promise<TargetScan> }>();

  get(key: string, version: number, scan: () => Promise<TargetScan>): Promise<TargetScan> {
    const hit = this.entries.get(key);
    if (hit && hit.version === version) return hit.scan;
    const entry = { version, scan: scan() };
    entry.scan.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key); // a failed scan is retried next time
    });
    this.entries.set(key, entry);
    return entry.scan;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}
