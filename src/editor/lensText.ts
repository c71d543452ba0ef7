// What a thread-target lens says after a run: that target's threads and their figures, from the model.
// Pure (no vscode import): the lens provider and the tests share it.
import type { TraceModel, ThreadInfo } from "../trace/types";
import type { TargetSite } from "./threadTargets";

export const TRACE_THREADS = "Trace threads";

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

/** The lens title for a site, given the latest model of its file (or none yet). */
export function lensTitle(site: TargetSite, file: string, model: TraceModel | null): string {
  if (!model) return TRACE_THREADS;
  const figures = targetFigures(model, site, file);
  if (figures) return formatFigures(figures);
  if (site.spawns.includes("process")) {
    const children = childProcessFigures(model);
    if (children) return children;
  }
  return `${TRACE_THREADS} (none ran in the last trace)`;
}

/**
 * A process target's code runs in the child's main thread, which has no target to match: the lens
 * shows the child processes of the run as a whole ("2 child processes · 96 handoffs · 1 race").
 */
export function childProcessFigures(model: TraceModel): string | null {
  const root = model.processes[0]?.pid;
  const children = model.processes.filter((p) => p.pid !== root && p.parentPid !== null);
  if (children.length === 0) return null;
  const pids = new Set(children.map((p) => p.pid));
  const handoffs = children.reduce((n, p) => n + p.handoffs.total, 0);
  const threadPid = new Map(model.threads.map((t) => [t.id, t.pid]));
  const races = model.races.filter((r) => r.accesses.some((a) => pids.has(threadPid.get(a.thread) ?? -1))).length;
  const parts = [plural(children.length, "child process", "child processes"), plural(handoffs, "handoff")];
  if (races > 0) parts.push(plural(races, "race"));
  return parts.join(" · ");
}
