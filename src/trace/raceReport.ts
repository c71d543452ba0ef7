// Turns the detection pass's findings (raceDetect.ts) into the model's RacePoints: the accesses in
// source terms, the verdict on whether the untraced interpreter could switch (switchPoints.ts),
// the interleaving as the lesson's `dis` listing, and the fix (raceFix.ts).
import type { Access, VariableFindings } from "./raceDetect";
import { lockNameAt, suggestFix } from "./raceFix";
import { hi32 } from "./records";
import type { ProcessTable } from "./store";
import { judgeWindow, parseDis, switchWindow, type DisInstruction, type InterpreterKind, type SwitchVerdict } from "./switchPoints";
import type { EventStore } from "./store";
import type { InterleavingStep, RaceAccess, RacePoint, SourceSite } from "./types";

/** LOC kind 5: multiprocessing shared memory. */
const LOC_SHARED_MEMORY = 5;

const disCache = new WeakMap<ProcessTable, Map<number, DisInstruction[]>>();

/** A code object's `dis` listing from its CODE_DIS record ([] when the tracer wrote none). */
export function disOf(table: ProcessTable, code: number): DisInstruction[] {
  let byCode = disCache.get(table);
  if (!byCode) {
    byCode = new Map();
    disCache.set(table, byCode);
  }
  let dis = byCode.get(code);
  if (!dis) {
    const str = table.codeDis.get(code);
    dis = str ? parseDis(table.string(str)) : [];
    byCode.set(code, dis);
  }
  return dis;
}

export function interpreterOf(table: ProcessTable): InterpreterKind {
  const minor = Number(table.header.python.version.split(".")[1]);
  return { minor: Number.isFinite(minor) ? minor : 0, gilEnabled: table.header.python.gilEnabled !== false };
}

class Reporter {
  constructor(
    private readonly store: EventStore,
    private readonly f: VariableFindings,
    private readonly originNs: number,
  ) {}

  private get table(): ProcessTable {
    return this.f.table;
  }

  /** The process an access belongs to (cross-process findings mix processes). */
  tableOf(a: Access): ProcessTable {
    return this.store.processes[this.store.proc[a.rec]] ?? this.table;
  }

  site(a: Access): SourceSite {
    return this.tableOf(a).site(a.site) ?? { file: "", line: 0, function: "" };
  }

  threadId(a: Access): string {
    return `${this.tableOf(a).pid}:${a.thread}`;
  }

  /** Global order: record order within a process, timestamps across processes. */
  readonly order = (x: Access, y: Access): number =>
    this.store.proc[x.rec] === this.store.proc[y.rec] ? x.rec - y.rec : this.store.ts[x.rec] - this.store.ts[y.rec];

  timeMs(a: Access): number {
    return (this.store.ts[a.rec] - this.originNs) / 1e6;
  }

  access(a: Access): RaceAccess {
    const s = this.site(a);
    return {
      thread: this.threadId(a), op: a.write ? "write" : "read", instruction: s.instruction ?? "", file: s.file, line: s.line,
      timeMs: this.timeMs(a), stack: this.stack(a),
    };
  }

  /** The access's in-scope callers, innermost first (its STACK record; [] in traces without one). */
  stack(a: Access): SourceSite[] {
    const table = this.tableOf(a);
    const sites = table.stacks[hi32(this.store.b[a.rec])] ?? [];
    return sites.map((id) => table.site(id)).filter((s): s is SourceSite => s !== null);
  }

  step(a: Access, note?: string): InterleavingStep {
    const s = this.site(a);
    const step: InterleavingStep = {
      thread: this.threadId(a), instruction: s.instruction ?? "", variable: this.f.variable, file: s.file, line: s.line,
      timeMs: this.timeMs(a),
    };
    if (note) step.note = note;
    const stack = this.stack(a);
    if (stack.length > 0) step.stack = stack;
    return step;
  }

  interleaving(): InterleavingStep[] {
    const lost = this.f.lost[0];
    if (lost) {
      const steps: [Access, string | undefined][] = [
        [lost.read, "stale read"],
        [lost.otherWrite, "this update is lost"],
        [lost.write, "lost update"],
      ];
      if (lost.otherRead) steps.push([lost.otherRead, undefined]);
      return steps.sort((x, y) => this.order(x[0], y[0])).map(([a, note]) => this.step(a, note));
    }
    const pair = this.f.firstConflict;
    if (!pair) return [];
    return [this.step(pair[0]), this.step(pair[1], "no lock or ordering between these")];
  }

  verdict(): SwitchVerdict {
    if (this.f.crossProcess) {
      return {
        possibleUntraced: true,
        explanation:
          `Separate processes run at the same time, each with its own GIL: nothing but a lock stops another process ` +
          `from writing \`${this.f.variable}\` between this process's read and its write, traced or not, on every version.`,
      };
    }
    const py = interpreterOf(this.table);
    const judged = [...this.f.windows.values()].map((w) => {
      const dis = disOf(this.tableOf(w.write), w.write.code);
      const sw = switchWindow(dis, this.site(w.read).offset ?? -1, this.site(w.write).offset ?? -1, w.read.code === w.write.code);
      if (!sw.readInstruction) sw.readInstruction = this.site(w.read).instruction ?? "";
      if (!sw.writeInstruction) sw.writeInstruction = this.site(w.write).instruction ?? "";
      return judgeWindow(sw, py, this.f.variable, w.lost);
    });
    const possible = judged.find((v) => v.possibleUntraced);
    if (possible) return possible;
    if (judged.length > 0) return judged[0];
    return {
      possibleUntraced: true,
      explanation:
        `Nothing orders these accesses to \`${this.f.variable}\` (no common lock, no start/join, Event, Queue or Condition between them): ` +
        "which thread goes first is up to the scheduler, traced or not, on every version.",
    };
  }

  fix(): string {
    const lines = new Map<string, number[]>();
    const take = (a: Access): void => {
      const s = this.site(a);
      const list = lines.get(s.function) ?? [];
      list.push(s.line);
      lines.set(s.function, list);
    };
    let existingLock: { name: string; line: number } | null = null;
    const mostHeld = [...this.f.locksHeld.entries()].sort((x, y) => y[1] - x[1])[0];
    if (mostHeld) {
      const siteId = this.f.lockSites.get(mostHeld[0]) ?? 0;
      const def = this.table.sites[siteId];
      const s = this.table.site(siteId);
      existingLock = { name: def ? lockNameAt(disOf(this.table, def.code), def.offset) : "", line: s?.line ?? 0 };
    }
    const lost = this.f.lost[0];
    if (lost) {
      take(lost.read);
      take(lost.write);
    } else {
      // Lines already under the lock the fix names need nothing.
      const unguarded = this.f.involved.filter((a) => !mostHeld || !a.locks.includes(mostHeld[0]));
      for (const a of unguarded.length > 0 ? unguarded : this.f.involved) take(a);
    }
    const locDef = [...this.table.locs].find((l) => l && this.table.string(l.name) === this.f.variable);
    return suggestFix({
      variable: this.f.variable, lines, existingLock, sharedMemory: this.f.crossProcess || locDef?.kind === LOC_SHARED_MEMORY,
      publishOnly: !lost && this.f.windows.size === 0,
    });
  }

  point(): RacePoint | null {
    const lostUpdate = this.f.lostCount > 0;
    if (!lostUpdate && this.f.conflictCount === 0) return null;
    const { possibleUntraced, explanation } = this.verdict();
    const accesses = [...this.f.involved].sort(this.order).map((a) => this.access(a));
    return {
      variable: this.f.variable,
      kind: lostUpdate ? "lost-update" : "unsynchronized",
      count: lostUpdate ? this.f.lostCount : this.f.conflictCount,
      possibleUntraced,
      explanation,
      accesses,
      interleaving: this.interleaving(),
      fix: this.fix(),
    };
  }
}

/** Race points of the findings: lost updates first, then those possible without the tracer, then by count. */
export function buildRacePoints(store: EventStore, findings: VariableFindings[], originNs: number): RacePoint[] {
  const points: RacePoint[] = [];
  for (const f of findings) {
    const p = new Reporter(store, f, originNs).point();
    if (p) points.push(p);
  }
  const rank = (p: RacePoint): number => (p.kind === "lost-update" ? 0 : 2) + (p.possibleUntraced ? 0 : 1);
  return points.sort((x, y) => rank(x) - rank(y) || y.count - x.count);
}
