// Test-only writer of format v1 traces (docs/trace-format.md), independent of the decoder: its
// CRC comes from node:zlib, so a bug in src/trace/crc32.ts cannot hide behind a matching one here.
import { crc32 } from "node:zlib";

export interface RecordSpec {
  kind: number;
  flags?: number;
  thread?: number;
  a?: number;
  ts?: number;
  b?: number;
  /** For STR records: the string (b is set to its byte length). */
  text?: string;
}

const TWO_32 = 4294967296;

function i64(view: DataView, at: number, v: number): void {
  view.setUint32(at, v % TWO_32 >>> 0, true);
  view.setInt32(at + 4, Math.floor(v / TWO_32), true);
}

function padJson(value: unknown): Uint8Array {
  let text = JSON.stringify(value);
  while (Buffer.byteLength(text) % 8 !== 0) text += " ";
  return Buffer.from(text);
}

export function encodeRecords(records: RecordSpec[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const r of records) {
    const text = r.text === undefined ? null : Buffer.from(r.text);
    const extra = text ? (text.length + 7) & ~7 : 0;
    const buf = new Uint8Array(24 + extra);
    const view = new DataView(buf.buffer);
    buf[0] = r.kind;
    buf[1] = r.flags ?? 0;
    view.setUint16(2, r.thread ?? 0, true);
    view.setUint32(4, r.a ?? 0, true);
    i64(view, 8, r.ts ?? 0);
    i64(view, 16, text ? text.length : r.b ?? 0);
    if (text) buf.set(text, 24);
    parts.push(buf);
  }
  return Buffer.concat(parts);
}

export class TraceWriter {
  private readonly parts: Uint8Array[] = [];
  private readonly seq = new Map<number, number>();
  /** Byte offset of every chunk header written, in order. */
  readonly chunkOffsets: number[] = [];
  private size = 0;

  constructor(version = 1) {
    const header = new Uint8Array(16);
    header.set(Buffer.from("GILTRACE"));
    new DataView(header.buffer).setUint16(8, version, true);
    this.add(header);
  }

  process(pid: number, fields: Record<string, unknown> = {}): this {
    const header = {
      pid, parentPid: null,
      python: { executable: "/usr/bin/python3", version: "3.12.1", implementation: "cpython", gilEnabled: true, freeThreaded: false },
      switchIntervalS: 0.005, mechanism: "sys.monitoring", races: false, startNs: 1_000_000_000, startEpochNs: 0,
      script: "/tmp/s.py", module: null, argv: ["s.py"], cwd: "/tmp", scope: ["/tmp"], startMethod: null, target: null, tasks: [],
      ...fields,
    };
    return this.chunk(1, pid, padJson(header));
  }

  events(pid: number, records: RecordSpec[]): this {
    return this.chunk(2, pid, encodeRecords(records));
  }

  end(pid: number, fields: Record<string, unknown> = {}): this {
    const end = { exitCode: 0, how: "exit", signal: null, error: null, endNs: 2_000_000_000, records: 0, dropped: 0, ...fields };
    return this.chunk(3, pid, padJson(end));
  }

  /** A chunk with explicit header fields, for damaged-file tests. */
  chunk(kind: number, pid: number, payload: Uint8Array, seq?: number): this {
    const header = new Uint8Array(24);
    const view = new DataView(header.buffer);
    header.set(Buffer.from("GTCK"));
    header[4] = kind;
    view.setUint32(8, pid, true);
    view.setUint32(12, payload.length, true);
    view.setUint32(16, crc32(payload), true);
    const n = seq ?? this.seq.get(pid) ?? 0;
    this.seq.set(pid, n + 1);
    view.setUint32(20, n, true);
    this.chunkOffsets.push(this.size);
    this.add(header);
    this.add(payload);
    return this;
  }

  bytes(): Uint8Array {
    return new Uint8Array(Buffer.concat(this.parts));
  }

  private add(part: Uint8Array): void {
    this.parts.push(part);
    this.size += part.length;
  }
}
