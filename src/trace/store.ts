// What the decoder produces: one columnar store of event records (typed arrays, no object per
// event) plus per-process definition tables. The model and the analyses read only this.
import type { ProcessSamples } from "./syscallSamples";
import type { DecodeProblem, SourceSite } from "./types";

/** The JSON of a kind-1 (process) chunk; see docs/trace-format.md. */
export interface ProcessHeader {
  pid: number;
  parentPid: number | null;
  python: { executable: string; version: string; implementation: string; gilEnabled: boolean; freeThreaded: boolean };
  switchIntervalS: number;
  mechanism: string;
  races: boolean;
  startNs: number;
  startEpochNs: number;
  script: string | null;
  module: string | null;
  argv: string[];
  cwd: string;
  scope: string[];
  startMethod: string | null;
  /** A multiprocessing child's Process target (`work`, `Worker.run`; a pool's worker function). */
  target: SourceSite | null;
  /** The functions a Pool / ProcessPoolExecutor worker ran as tasks, in first-run order. */
  tasks: SourceSite[];
}

export interface ScriptErrorInfo {
  type: string;
  message: string;
  file: string | null;
  line: number | null;
  traceback?: string;
}

/** The JSON of a kind-3 (process end) chunk. */
export interface ProcessEnd {
  exitCode: number | null;
  how: string;
  signal: number | null;
  error: ScriptErrorInfo | null;
  endNs: number;
  records: number;
  dropped: number;
}

export interface CodeDef {
  file: number;
  name: number;
  firstLine: number;
}

export interface SiteDef {
  code: number;
  line: number;
  offset: number;
  opname: number;
}

export interface LocDef {
  kind: number;
  owner: number;
  name: number;
}

/** Definitions of one process (ids are per process, dense from 1). */
export class ProcessTable {
  readonly strings: string[] = [];
  readonly codes: CodeDef[] = [];
  readonly sites: SiteDef[] = [];
  readonly locs: LocDef[] = [];
  /** stack id → the site ids of its frames, innermost caller first (STACK). */
  readonly stacks: number[][] = [];
  /** code id → string id of its `dis` JSON (CODE_DIS). */
  readonly codeDis = new Map<number, number>();
  end: ProcessEnd | null = null;
  nextSeq = 1;
  /** Event records of this process in the store. */
  records = 0;
  private readonly siteCache: (SourceSite | null)[] = [];

  constructor(
    readonly index: number,
    readonly pid: number,
    /** Replaced by a later process chunk of the pid (a child that learnt its target). */
    public header: ProcessHeader,
  ) {}

  string(id: number): string {
    return this.strings[id] ?? "";
  }

  /** A site id as a SourceSite (cached: handoffs and intervals refer to the same few sites). */
  site(id: number): SourceSite | null {
    if (id <= 0) return null;
    const cached = this.siteCache[id];
    if (cached !== undefined) return cached;
    const def = this.sites[id];
    let site: SourceSite | null = null;
    if (def) {
      const code = this.codes[def.code];
      site = {
        file: code ? this.string(code.file) : "",
        line: def.line,
        function: code ? this.string(code.name) : "",
        offset: def.offset,
      };
      const op = this.string(def.opname);
      if (op) site.instruction = op;
    }
    this.siteCache[id] = site;
    return site;
  }
}

function grow<T extends Uint8Array | Uint16Array | Uint32Array | Float64Array>(arr: T, size: number): T {
  const next = new (arr.constructor as new (n: number) => T)(size);
  next.set(arr);
  return next;
}

/** Event records of all processes, in file order (per process: record order = the order things happened). */
export class EventStore {
  count = 0;
  kind = new Uint8Array(1024);
  flags = new Uint8Array(1024);
  thread = new Uint16Array(1024);
  a = new Uint32Array(1024);
  /** perf_counter_ns as a JS number (values fit in 53 bits). */
  ts = new Float64Array(1024);
  b = new Float64Array(1024);
  /** Index into `processes`. */
  proc = new Uint16Array(1024);
  readonly processes: ProcessTable[] = [];
  problem: DecodeProblem | null = null;
  /** Bytes accepted so far (up to the end of the last whole chunk). */
  bytes = 0;
  /** Records of kinds this decoder does not know (skipped). */
  unknownRecords = 0;
  /** The syscall sampler's state changes, by sampled pid (syscallSamples.ts). */
  readonly samples = new Map<number, ProcessSamples>();

  /** Make room for `extra` more records. */
  reserve(extra: number): void {
    const need = this.count + extra;
    if (need <= this.kind.length) return;
    let size = this.kind.length * 2;
    while (size < need) size *= 2;
    this.kind = grow(this.kind, size);
    this.flags = grow(this.flags, size);
    this.thread = grow(this.thread, size);
    this.a = grow(this.a, size);
    this.ts = grow(this.ts, size);
    this.b = grow(this.b, size);
    this.proc = grow(this.proc, size);
  }
}
