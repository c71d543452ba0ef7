// What a thread-target lens says after a run: that target's threads and their figures, from the model.
// Pure (no vscode import): the lens provider and the tests share it.
import type { ProcessInfo, SourceSite, ThreadInfo, TraceModel } from "../trace/types";
import type { TargetSite } from "./threadTargets";

export const TRACE_THREADS = "Trace threads";

/** The lens a threaded file gets when no usable interpreter is found (a click shows the way out). */
export const NO_INTERPRETER = "$(warning) GIL Timeline: no usable Python interpreter, click to fix";

const THREADED_IMPORT = /^[ \t]*(?:import|from)[ \t]+(?:threading|_thread|concurrent\.futures|concurrent|multiprocessing|asyncio)\b/m;

/**
 * The line (0-based) of a file's first import of a threads or processes module, or -1: without an
 * interpreter the Python scan cannot run, and this is enough to say why a threaded file has no lenses.
 */
export function threadedImportLine(source: string): number {
  const m = THREADED_IMPORT.exec(source);
  return m ? source.slice(0, m.index).split("\n").length - 1 : -1;
}

export interface TargetFigures {
  /** ThreadInfo.id of the threads that ran this target. */
  threads: string[];
  /** Mean share of the GIL-held time of their process(es), 0..1. */
  gilShare: number;
  /** Handoffs from or to one of these threads. */
  handoffs: number;
  /** Race points with an access by one of these threads. */
  races: number;
}

function samePath(a: string, b: string): boolean {
  const norm = (p: string): string => p.replace(/\\/g, "/").replace(/\/+$/, "");
  return norm(a) === norm(b);
}

/** Threads started in pools run the pool's worker function, not the user's: match those by name. */
const POOL_THREAD_NAMES: Record<string, RegExp> = {
  "executor.": /^ThreadPoolExecutor-/,
  // The event loop's default executor names its threads asyncio_N (3.9+).
  "asyncio.to_thread": /^asyncio_\d/,
  "loop.run_in_executor": /^asyncio_\d/,
};

function runsTarget(thread: ThreadInfo, site: TargetSite, file: string): boolean {
  const t = thread.target;
  if (t && site.function && t.function === site.function && samePath(t.file, file)) return true;
  if (!site.spawns.includes("thread")) return false;
  return site.apis.some((api) =>
    Object.entries(POOL_THREAD_NAMES).some(([prefix, name]) => api.startsWith(prefix) && name.test(thread.name)),
  );
}

/** The figures of one site's threads in a model, or null when none of its threads ran. */
export function targetFigures(model: TraceModel, site: TargetSite, file: string): TargetFigures | null {
  const threads = model.threads.filter((t) => runsTarget(t, site, file));
  if (threads.length === 0) return null;
  const ids = new Set(threads.map((t) => t.id));
  const heldByPid = new Map<number, number>();
  for (const t of model.threads) heldByPid.set(t.pid, (heldByPid.get(t.pid) ?? 0) + t.runningMs);
  const shares = threads.map((t) => {
    const held = heldByPid.get(t.pid) ?? 0;
    return held > 0 ? t.runningMs / held : 0;
  });
  const handoffs = model.handoffs.filter((h) => ids.has(h.to) || (h.from !== null && ids.has(h.from))).length;
  const races = model.races.filter((r) => r.accesses.some((a) => ids.has(a.thread))).length;
  return { threads: [...ids], gilShare: shares.reduce((a, b) => a + b, 0) / shares.length, handoffs, races };
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? word : many}`;
}

/** "3 threads · 31% of GIL time each · 1,204 handoffs · 1 race" */
export function formatFigures(f: TargetFigures): string {
  const pct = f.gilShare * 100;
  const digits = pct > 0 && pct < 1 ? pct.toFixed(1) : String(Math.round(pct)); // never "0%" for a thread that ran
  const share = `${digits}% of GIL time${f.threads.length > 1 ? " each" : ""}`;
  const parts = [plural(f.threads.length, "thread"), share, plural(f.handoffs, "handoff")];
  if (f.races > 0) parts.push(plural(f.races, "race"));
  return parts.join(" · ");
}

/** The lens of a site after a run: its title, and the threads its click shows (null: none ran). */
export function lensTarget(site: TargetSite, file: string, model: TraceModel | null): { title: string; threads: string[] | null } {
  if (!model) return { title: TRACE_THREADS, threads: null };
  const figures = targetFigures(model, site, file);
  if (figures) return { title: formatFigures(figures), threads: figures.threads };
  if (site.spawns.includes("process")) {
    const processes = processTargetFigures(model, site, file);
    if (processes) return { title: formatProcessFigures(processes), threads: processes.threads };
  }
  return { title: `${TRACE_THREADS} (none ran in the last trace)`, threads: null };
}

/** The lens title for a site, given the latest model of its file (or none yet). */
export function lensTitle(site: TargetSite, file: string, model: TraceModel | null): string {
  return lensTarget(site, file, model).title;
}

export interface ProcessFigures {
  pids: number[];
  /** ThreadInfo.id of every thread of those processes. */
  threads: string[];
  handoffs: number;
  races: number;
}

/**
 * A process target's code runs in the child's main thread, which has no thread target: a process
 * runs the site's function when it is the process's target (from Process._target, recorded by the
 * tracer) or a task it ran as a Pool / ProcessPoolExecutor worker.
 */
function processRuns(p: ProcessInfo, site: TargetSite, file: string): boolean {
  const fn = site.function;
  if (!fn) return false;
  const same = (t: SourceSite): boolean => t.function === fn && samePath(t.file, file);
  // A def is run either way; a Process(target=f) call only as a target, a pool call only as tasks.
  const asTarget = site.kind === "def" || site.apis.some((api) => api.startsWith("multiprocessing."));
  const asTask = site.kind === "def" || site.apis.some((api) => api.startsWith("executor."));
  return (asTarget && p.target != null && same(p.target)) || (asTask && (p.tasks ?? []).some(same));
}

/** The figures of the processes that ran one site's function, or null when none did. */
export function processTargetFigures(model: TraceModel, site: TargetSite, file: string): ProcessFigures | null {
  const ran = model.processes.filter((p) => processRuns(p, site, file));
  if (ran.length === 0) return null;
  const pids = new Set(ran.map((p) => p.pid));
  const threads = model.threads.filter((t) => pids.has(t.pid)).map((t) => t.id);
  const ids = new Set(threads);
  const handoffs = ran.reduce((n, p) => n + p.handoffs.total, 0);
  const races = model.races.filter((r) => r.accesses.some((a) => ids.has(a.thread))).length;
  return { pids: [...pids], threads, handoffs, races };
}

/** "2 child processes · 96 handoffs · 1 race" */
export function formatProcessFigures(f: ProcessFigures): string {
  const parts = [plural(f.pids.length, "child process", "child processes"), plural(f.handoffs, "handoff")];
  if (f.races > 0) parts.push(plural(f.races, "race"));
  return parts.join(" · ");
}
