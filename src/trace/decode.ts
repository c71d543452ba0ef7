// Streaming decoder for docs/trace-format.md v1. Accepts the file in pieces of any size (the
// extension tails a growing file), validates each chunk (magic, length, CRC-32, per-pid sequence)
// and stops at the first damage, keeping everything before it.
import { crc32 } from "./crc32";
import {
  CHUNK_HEADER_BYTES, CHUNK_MAGIC, ChunkKind, FILE_HEADER_BYTES, FILE_MAGIC, FORMAT_VERSION, RECORD_BYTES, Rec, TWO_32,
} from "./records";
import { ChunkError, processEnd, processHeader } from "./processJson";
import { EventStore, ProcessTable } from "./store";
import { addSamplesChunk } from "./syscallSamples";
import type { DecodeProblem } from "./types";

/** Larger than any chunk a tracer writes; a bigger length means the header is garbage. */
const MAX_PAYLOAD = 1 << 30;
const utf8 = new TextDecoder("utf-8", { fatal: false });

export class TraceDecoder {
  readonly store = new EventStore();
  private pending = new Uint8Array(0);
  private pendingLen = 0;
  private headerDone = false;
  private finished = false;
  private readonly byPid = new Map<number, ProcessTable>();
  private readonly samplerSeq = new Map<number, number>();

  /** Feed the next bytes of the file. Returns the number of new event records. */
  push(data: Uint8Array): number {
    if (this.store.problem || this.finished || data.length === 0) return 0;
    // A Node Buffer is a Uint8Array subclass; indexing a mix of both makes V8's element access
    // polymorphic and the decoder several times slower, so always parse a plain view.
    const bytes = data.constructor === Uint8Array ? data : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const before = this.store.count;
    if (this.pendingLen === 0) {
      const used = this.parse(bytes, bytes.length);
      this.keep(bytes.subarray(used));
    } else {
      this.keep(bytes);
      const used = this.parse(this.pending, this.pendingLen);
      this.pending.copyWithin(0, used, this.pendingLen);
      this.pendingLen -= used;
    }
    return this.store.count - before;
  }

  /** The file ended: whatever is left over is a truncated chunk. */
  finish(): EventStore {
    if (!this.finished && !this.store.problem) {
      if (!this.headerDone) {
        this.fail("truncated", 0, `the file ends after ${this.pendingLen} bytes, inside the 16-byte file header`);
      } else if (this.pendingLen > 0) {
        this.fail(
          "truncated",
          this.store.bytes,
          `the file ends inside a chunk (${this.pendingLen} bytes of it present): the tracer was stopped while writing, or the file is still being written`,
        );
      }
    }
    this.finished = true;
    return this.store;
  }

  private keep(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const need = this.pendingLen + bytes.length;
    if (need > this.pending.length) {
      const next = new Uint8Array(Math.max(need, this.pending.length * 2, 4096));
      next.set(this.pending.subarray(0, this.pendingLen));
      this.pending = next;
    }
    this.pending.set(bytes, this.pendingLen);
    this.pendingLen = need;
  }

  private fail(kind: DecodeProblem["kind"], byteOffset: number, message: string): void {
    this.store.problem = { kind, byteOffset, message };
  }

  /** Parse whole chunks from buf[0, len); returns how many bytes were consumed. */
  private parse(buf: Uint8Array, len: number): number {
    const view = new DataView(buf.buffer, buf.byteOffset, len);
    let pos = 0;
    if (!this.headerDone) {
      if (len < FILE_HEADER_BYTES) return 0;
      for (let i = 0; i < FILE_MAGIC.length; i++) {
        if (buf[i] !== FILE_MAGIC[i]) {
          this.fail("corrupt", 0, "not a GIL Timeline trace (the file does not start with GILTRACE)");
          return len;
        }
      }
      const version = view.getUint16(8, true);
      if (version !== FORMAT_VERSION) {
        const which = version > FORMAT_VERSION ? "newer" : "older";
        this.fail(
          "version",
          8,
          `trace format version ${version} is ${which} than the version this GIL Timeline reads (${FORMAT_VERSION}); use a tracer and extension of the same release`,
        );
        return len;
      }
      this.headerDone = true;
      this.store.bytes = FILE_HEADER_BYTES;
      pos = FILE_HEADER_BYTES;
    }
    while (len - pos >= CHUNK_HEADER_BYTES) {
      const offset = this.store.bytes;
      if (view.getUint32(pos, true) !== CHUNK_MAGIC) {
        this.fail("corrupt", offset, "bad chunk magic (expected GTCK)");
        return len;
      }
      const payloadLen = view.getUint32(pos + 12, true);
      if (payloadLen % 8 !== 0 || payloadLen > MAX_PAYLOAD) {
        this.fail("corrupt", offset, `impossible chunk payload length ${payloadLen}`);
        return len;
      }
      const end = pos + CHUNK_HEADER_BYTES + payloadLen;
      if (end > len) break;
      const start = pos + CHUNK_HEADER_BYTES;
      if (crc32(buf, start, end) !== view.getUint32(pos + 16, true)) {
        this.fail("corrupt", offset, "chunk CRC-32 mismatch: the chunk's bytes were damaged");
        return len;
      }
      try {
        this.chunk(buf, view, pos, start, end);
      } catch (e) {
        this.fail("corrupt", offset, e instanceof Error ? e.message : String(e));
        return len;
      }
      this.store.bytes += end - pos;
      pos = end;
    }
    return pos;
  }

  private chunk(buf: Uint8Array, view: DataView, pos: number, start: number, end: number): void {
    const kind = buf[pos + 4];
    const pid = view.getUint32(pos + 8, true);
    const seq = view.getUint32(pos + 20, true);
    if (kind === ChunkKind.samples) {
      // The sampler is a process of its own, with its own sequence, that never writes a process chunk.
      const expected = this.samplerSeq.get(pid) ?? 0;
      if (seq !== expected) throw new ChunkError(`samples chunk sequence gap for pid ${pid}: expected ${expected}, found ${seq}`);
      this.samplerSeq.set(pid, seq + 1);
      addSamplesChunk(view, start, end, this.store.samples);
      return;
    }
    let table = this.byPid.get(pid);
    if (kind === ChunkKind.process && seq === 0 && (!table || table.end)) {
      // A pid seen before with an end chunk is the OS reusing it for a new process.
      const header = processHeader(buf.subarray(start, end));
      table = new ProcessTable(this.store.processes.length, pid, header);
      this.store.processes.push(table);
      this.byPid.set(pid, table);
      return;
    }
    if (!table) throw new ChunkError(`chunk of pid ${pid} before its process chunk`);
    if (seq !== table.nextSeq) {
      throw new ChunkError(`chunk sequence gap for pid ${pid}: expected ${table.nextSeq}, found ${seq}`);
    }
    table.nextSeq++;
    if (kind === ChunkKind.events) this.events(buf, view, start, end, table);
    else if (kind === ChunkKind.process) table.header = processHeader(buf.subarray(start, end));
    else if (kind === ChunkKind.processEnd) table.end = processEnd(buf.subarray(start, end));
    else throw new ChunkError(`unknown chunk kind ${kind}`);
  }

  private events(buf: Uint8Array, view: DataView, start: number, end: number, table: ProcessTable): void {
    const store = this.store;
    // Upper bound: every record is at least 24 bytes.
    store.reserve(((end - start) / RECORD_BYTES) | 0);
    const { kind: kinds, flags: flagsCol, thread: threadCol, a: aCol, ts: tsCol, b: bCol, proc: procCol } = store;
    const procIndex = table.index;
    let n = store.count;
    let p = start;
    while (p < end) {
      if (end - p < RECORD_BYTES) throw new ChunkError("a record runs past the end of its chunk");
      const kind = buf[p];
      const a = view.getUint32(p + 4, true);
      const ts = view.getUint32(p + 8, true) + view.getInt32(p + 12, true) * TWO_32;
      const b = view.getUint32(p + 16, true) + view.getInt32(p + 20, true) * TWO_32;
      if (kind >= Rec.THREAD_START) {
        kinds[n] = kind;
        flagsCol[n] = buf[p + 1];
        threadCol[n] = view.getUint16(p + 2, true);
        aCol[n] = a;
        tsCol[n] = ts;
        bCol[n] = b;
        procCol[n] = procIndex;
        n++;
        p += RECORD_BYTES;
        continue;
      }
      p += RECORD_BYTES;
      switch (kind) {
        case Rec.STR: {
          const strEnd = p + b;
          if (b < 0) throw new ChunkError(`a string record with a negative length ${b}`);
          if (strEnd > end) throw new ChunkError("a string record runs past the end of its chunk");
          table.strings[a] = utf8.decode(buf.subarray(p, strEnd));
          p += (b + 7) & ~7;
          break;
        }
        case Rec.CODE:
          table.codes[a] = { file: b % TWO_32, name: Math.floor(b / TWO_32), firstLine: ts };
          break;
        case Rec.SITE:
          table.sites[a] = { code: ts % TWO_32, line: Math.floor(ts / TWO_32), offset: b % TWO_32, opname: Math.floor(b / TWO_32) };
          break;
        case Rec.LOC:
          table.locs[a] = { kind: buf[p - RECORD_BYTES + 1], owner: ts, name: b };
          break;
        case Rec.CODE_DIS:
          table.codeDis.set(a, b);
          break;
        case Rec.STACK:
          table.stacks[a] = [b % TWO_32, Math.floor(b / TWO_32), ts].slice(0, buf[p - RECORD_BYTES + 1]);
          break;
        default:
          store.unknownRecords++;
      }
    }
    table.records += n - store.count;
    store.count = n;
  }
}

/** Decode a whole trace held in memory. */
export function decodeTrace(bytes: Uint8Array): EventStore {
  const decoder = new TraceDecoder();
  decoder.store.reserve((bytes.length / RECORD_BYTES) | 0); // one allocation instead of doublings
  decoder.push(bytes);
  return decoder.finish();
}
