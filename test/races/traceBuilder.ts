// Builds race-mode traces record by record for unit tests of the analysis, then runs them through
// the real decoder (via the test encoder), so the analysis sees exactly what it sees on real traces.
import { TraceDecoder } from "../../src/trace/decode";
import { Rec } from "../../src/trace/records";
import type { EventStore } from "../../src/trace/store";
import { TraceWriter, type RecordSpec } from "../trace/encode";

const TWO_32 = 4294967296;
export type DisRow = [number, string, string, number];

export class RaceTraceBuilder {
  private readonly records: RecordSpec[] = [];
  private readonly strings = new Map<string, number>();
  private ids = { code: 0, site: 0, loc: 0 };
  private ts = 1_000_000_000;

  constructor(private readonly python = { version: "3.12.1", gilEnabled: true }) {}

  private push(r: RecordSpec): void {
    this.ts += 1000;
    this.records.push({ ts: this.ts, ...r });
  }

  str(text: string): number {
    let id = this.strings.get(text);
    if (id === undefined) {
      id = this.strings.size + 1;
      this.strings.set(text, id);
      this.records.push({ kind: Rec.STR, a: id, text });
    }
    return id;
  }

  /** A code object with its `dis` rows ([offset, opname, argrepr, line]). */
  code(name: string, dis: DisRow[], file = "/tmp/s.py"): number {
    const id = ++this.ids.code;
    const f = this.str(file);
    const n = this.str(name);
    this.records.push({ kind: Rec.CODE, a: id, ts: dis[0]?.[3] ?? 1, b: f + n * TWO_32 });
    this.records.push({ kind: Rec.CODE_DIS, a: id, b: this.str(JSON.stringify(dis)) });
    return id;
  }

  site(code: number, line: number, offset: number, opname: string): number {
    const id = ++this.ids.site;
    this.records.push({ kind: Rec.SITE, a: id, ts: code + line * TWO_32, b: offset + this.str(opname) * TWO_32 });
    return id;
  }

  loc(name: string, kind = 1, owner = 0): number {
    const id = ++this.ids.loc;
    this.records.push({ kind: Rec.LOC, a: id, flags: kind, ts: owner, b: this.str(name) });
    return id;
  }

  spawn(parent: number, child: number): this {
    this.push({ kind: Rec.THREAD_SPAWN, thread: parent, a: child });
    this.push({ kind: Rec.THREAD_START, thread: child, a: 100 + child, b: this.str(`T${child}`) });
    return this;
  }

  end(t: number): this {
    this.push({ kind: Rec.THREAD_END, thread: t });
    return this;
  }

  joined(joiner: number, joinee: number): this {
    this.push({ kind: Rec.THREAD_JOINED, thread: joiner, a: joinee });
    return this;
  }

  acquire(t: number, lock: number, site = 0): this {
    this.push({ kind: Rec.LOCK_ACQUIRED, thread: t, a: site, b: lock });
    return this;
  }

  release(t: number, lock: number, site = 0): this {
    this.push({ kind: Rec.LOCK_RELEASE, thread: t, a: site, b: lock });
    return this;
  }

  syncRelease(t: number, obj: number): this {
    this.push({ kind: Rec.SYNC_RELEASE, thread: t, b: obj });
    return this;
  }

  syncAcquire(t: number, obj: number): this {
    this.push({ kind: Rec.SYNC_ACQUIRE, thread: t, b: obj });
    return this;
  }

  read(t: number, site: number, loc: number, augmented = false): this {
    this.push({ kind: Rec.ACCESS, thread: t, flags: augmented ? 2 : 0, a: site, b: loc });
    return this;
  }

  write(t: number, site: number, loc: number, augmented = false): this {
    this.push({ kind: Rec.ACCESS, thread: t, flags: augmented ? 3 : 1, a: site, b: loc });
    return this;
  }

  /** A floating pair (3.8/3.9, the tracer's cheap path): a read and its write, both recorded at the read. */
  floatingPair(t: number, load: number, store: number, loc: number): this {
    this.read(t, load, loc, true);
    this.push({ kind: Rec.ACCESS, thread: t, flags: 3 | 4, a: store, b: loc });
    return this;
  }

  /** A RUN record: thread `t` runs Python code again. */
  run(t: number, site = 0): this {
    this.push({ kind: Rec.RUN, thread: t, a: site });
    return this;
  }

  /** The timestamp (ns) of the next record. */
  at(ns: number): this {
    this.ts = ns - 1000;
    return this;
  }

  /** Append this process (header, events, end) to a trace file being written. */
  writeTo(writer: TraceWriter, pid = 1, parentPid: number | null = null): TraceWriter {
    const { version, gilEnabled } = this.python;
    return writer
      .process(pid, { parentPid, races: true, python: { executable: "/x/python3", version, implementation: "cpython", gilEnabled, freeThreaded: !gilEnabled } })
      .events(pid, this.records)
      .end(pid);
  }

  /** Encode as a one-process trace file and decode it with the real decoder. */
  decode(): EventStore {
    return decodeBytes(this.writeTo(new TraceWriter()).bytes());
  }
}

export function decodeBytes(bytes: Uint8Array): EventStore {
  const dec = new TraceDecoder();
  dec.push(bytes);
  return dec.finish();
}
