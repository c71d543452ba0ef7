// Decoder fuzzing: a seeded PRNG, mutators over real trace files, and the properties every decode of
// a mutated file must satisfy. Shared by test/trace/decodeFuzz.test.ts and scripts/fuzz-decoder.ts.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { crc32 } from "../../src/trace/crc32";
import { TraceDecoder, decodeTrace } from "../../src/trace/decode";
import { CHUNK_HEADER_BYTES, FILE_HEADER_BYTES, RECORD_BYTES } from "../../src/trace/records";
import type { EventStore } from "../../src/trace/store";

/** mulberry32: small, fast, and a failure is reproducible from its seed. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Chunk {
  start: number;
  end: number;
}

/** A well-formed original trace, its chunk boundaries, and its decoded store. */
export interface Seed {
  name: string;
  bytes: Uint8Array;
  chunks: Chunk[];
  store: EventStore;
  /** Event records in the chunks that end at or before each chunk start (index = chunk index). */
  recordsBefore: number[];
}

export function makeSeed(name: string, bytes: Uint8Array): Seed {
  const store = decodeTrace(bytes);
  if (store.problem) throw new Error(`seed ${name} does not decode: ${store.problem.message}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: Chunk[] = [];
  const recordsBefore: number[] = [];
  let pos = FILE_HEADER_BYTES;
  while (pos < bytes.length) {
    const end = pos + CHUNK_HEADER_BYTES + view.getUint32(pos + 12, true);
    chunks.push({ start: pos, end });
    // Decoding the prefix that ends at this chunk's start gives the records before it.
    recordsBefore.push(decodeTrace(bytes.subarray(0, pos)).count);
    pos = end;
  }
  return { name, bytes, chunks, store, recordsBefore };
}

/**
 * How much a mutation promises:
 * - `guarded`: the first changed byte is one the decoder must catch (file magic/version, a chunk's
 *   magic, payload length, CRC, or payload with the CRC left as it was), or the file was cut short.
 * - `weak`: anything else (reserved fields, pid, kind, sequence number, a CRC recomputed after
 *   damaging the payload, duplicated/swapped/dropped whole chunks): the result may legitimately
 *   decode, so only the prefix and bound properties are checked.
 */
export type Promise_ = "guarded" | "weak";

export interface Mutation {
  name: string;
  bytes: Uint8Array;
  /** The mutator re-framed chunks (recomputed a CRC, moved whole chunks): never `guarded`. */
  structural: boolean;
}

type Mutator = (seed: Seed, r: () => number) => Mutation;

const pick = (r: () => number, n: number) => Math.floor(r() * n);

function copy(b: Uint8Array): Uint8Array {
  return new Uint8Array(b);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function randomBytes(r: () => number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = pick(r, 256);
  return out;
}

function setU32(b: Uint8Array, at: number, v: number): void {
  new DataView(b.buffer, b.byteOffset, b.byteLength).setUint32(at, v >>> 0, true);
}

function recrc(b: Uint8Array, c: Chunk): void {
  setU32(b, c.start + 16, crc32(b, c.start + CHUNK_HEADER_BYTES, c.end));
}

export const MUTATORS: Record<string, Mutator> = {
  bitFlips(s, r) {
    const b = copy(s.bytes);
    const n = 1 + pick(r, 4);
    for (let i = 0; i < n; i++) b[pick(r, b.length)] ^= 1 << pick(r, 8);
    return { name: "bitFlips", bytes: b, structural: false };
  },
  overwrite(s, r) {
    const b = copy(s.bytes);
    const at = pick(r, b.length);
    b.set(randomBytes(r, Math.min(1 + pick(r, 16), b.length - at)), at);
    return { name: "overwrite", bytes: b, structural: false };
  },
  insert(s, r) {
    const at = pick(r, s.bytes.length + 1);
    const bytes = concat(s.bytes.subarray(0, at), randomBytes(r, 1 + pick(r, 32)), s.bytes.subarray(at));
    return { name: "insert", bytes, structural: false };
  },
  delete(s, r) {
    // At most 23 bytes: less than any whole chunk, so a deletion never cleanly drops a chunk.
    const at = pick(r, s.bytes.length);
    const n = 1 + pick(r, 23);
    return { name: "delete", bytes: concat(s.bytes.subarray(0, at), s.bytes.subarray(at + n)), structural: false };
  },
  truncate(s, r) {
    // Half the cuts land on a chunk boundary or in a chunk header, where the edge cases live.
    let at = pick(r, s.bytes.length);
    if (r() < 0.5) at = s.chunks[pick(r, s.chunks.length)].start + pick(r, CHUNK_HEADER_BYTES + 1);
    return { name: "truncate", bytes: s.bytes.slice(0, Math.min(at, s.bytes.length)), structural: false };
  },
  chunkLength(s, r) {
    const b = copy(s.bytes);
    const c = s.chunks[pick(r, s.chunks.length)];
    const len = c.end - c.start - CHUNK_HEADER_BYTES;
    const choices = [0, len + 8, len - 8, len + 8 * (1 + pick(r, 100)), len + 1 + pick(r, 7), pick(r, 2 ** 32), 2 ** 30, 2 ** 30 + 8, 0xfffffff8];
    setU32(b, c.start + 12, choices[pick(r, choices.length)]);
    return { name: "chunkLength", bytes: b, structural: false };
  },
  crcField(s, r) {
    const b = copy(s.bytes);
    const c = s.chunks[pick(r, s.chunks.length)];
    setU32(b, c.start + 16, pick(r, 2 ** 32));
    return { name: "crcField", bytes: b, structural: false };
  },
  payloadRecrc(s, r) {
    // Damage inside a payload with a matching CRC: the record parser itself is exercised.
    const b = copy(s.bytes);
    const withPayload = s.chunks.filter((c) => c.end - c.start > CHUNK_HEADER_BYTES);
    const c = withPayload[pick(r, withPayload.length)];
    const n = 1 + pick(r, 6);
    for (let i = 0; i < n; i++) {
      const at = c.start + CHUNK_HEADER_BYTES + pick(r, c.end - c.start - CHUNK_HEADER_BYTES);
      b[at] = r() < 0.5 ? b[at] ^ (1 << pick(r, 8)) : r() < 0.5 ? 0xff : pick(r, 256);
    }
    recrc(b, c);
    return { name: "payloadRecrc", bytes: b, structural: true };
  },
  headerField(s, r) {
    // The fields outside the CRC that are not magic/length/CRC: kind, reserved, pid, sequence.
    const b = copy(s.bytes);
    const c = s.chunks[pick(r, s.chunks.length)];
    const at = c.start + [4, 5, 6, 7, 8, 9, 10, 11, 20, 21, 22, 23][pick(r, 12)];
    b[at] = r() < 0.5 ? b[at] ^ (1 << pick(r, 8)) : pick(r, 256);
    return { name: "headerField", bytes: b, structural: false };
  },
  duplicateChunk(s, r) {
    const c = s.chunks[pick(r, s.chunks.length)];
    const to = r() < 0.5 ? c.end : s.chunks[pick(r, s.chunks.length)].start;
    const bytes = concat(s.bytes.subarray(0, to), s.bytes.subarray(c.start, c.end), s.bytes.subarray(to));
    return { name: "duplicateChunk", bytes, structural: true };
  },
  swapChunks(s, r) {
    if (s.chunks.length < 2) return MUTATORS.dropChunk(s, r);
    const i = pick(r, s.chunks.length - 1);
    const j = r() < 0.5 ? i + 1 : i + 1 + pick(r, s.chunks.length - i - 1);
    const [a, c] = [s.chunks[i], s.chunks[j]];
    const bytes = concat(
      s.bytes.subarray(0, a.start),
      s.bytes.subarray(c.start, c.end),
      s.bytes.subarray(a.end, c.start),
      s.bytes.subarray(a.start, a.end),
      s.bytes.subarray(c.end),
    );
    return { name: "swapChunks", bytes, structural: true };
  },
  dropChunk(s, r) {
    const c = s.chunks[pick(r, s.chunks.length)];
    return { name: "dropChunk", bytes: concat(s.bytes.subarray(0, c.start), s.bytes.subarray(c.end)), structural: true };
  },
};

export const MUTATOR_NAMES = Object.keys(MUTATORS);

/** One to three mutations in a row (the later ones applied to a re-chunked view are still random bytes). */
export function mutate(seed: Seed, r: () => number): Mutation {
  const first = MUTATORS[MUTATOR_NAMES[pick(r, MUTATOR_NAMES.length)]](seed, r);
  if (r() < 0.85) return first;
  // Stack a second, byte-level mutation on top; it may land before the first one.
  const second = MUTATORS[["bitFlips", "overwrite", "truncate"][pick(r, 3)]]({ ...seed, bytes: first.bytes }, r);
  return { name: `${first.name}+${second.name}`, bytes: second.bytes, structural: first.structural };
}

export interface CaseResult {
  /** Which property held: the damage was reported exactly, or only the weak ones apply. */
  promise: Promise_;
  problemKind: string | null;
}

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

function sameColumns(x: EventStore, y: EventStore, n: number): boolean {
  for (let i = 0; i < n; i++) {
    if (x.kind[i] !== y.kind[i] || x.flags[i] !== y.flags[i] || x.thread[i] !== y.thread[i] || x.a[i] !== y.a[i]) return false;
    if (x.ts[i] !== y.ts[i] || x.b[i] !== y.b[i] || x.proc[i] !== y.proc[i]) return false;
  }
  return true;
}

/**
 * Decode a mutated file and check the properties; throws an Error describing the first violation.
 *
 * Let d be the first byte where the mutated file differs from the original (or its length if it is
 * a strict prefix), and C the start of the original chunk holding d (0 for the file header; the
 * original's length for bytes appended after its end). Always:
 *  1. decoding does not throw and `problem.byteOffset` lies in [C, file length] (or [0, 8] for the
 *     file header); `store.bytes` lies in [C, file length] (or 0 for a damaged header);
 *  2. the records of every chunk before C are decoded exactly as in the original, in order;
 *  3. sizes are bounded by the input: records and processes <= length / 24, store capacity
 *     <= max(1024, 2 * length / 24);
 *  4. feeding the same bytes in random pieces to a TraceDecoder gives the same records and problem.
 * When the mutation is `guarded` (see Promise_), also:
 *  5. a problem is reported at exactly C (`version` at 8 or `corrupt` at 0 for the file header;
 *     `truncated` when the file was cut inside a chunk), and exactly the records before C are kept;
 *     a cut on a chunk boundary is no problem and keeps exactly the records before the cut.
 */
export function checkCase(seed: Seed, m: Mutation, r: () => number, streamed: boolean): CaseResult {
  const bytes = m.bytes;
  const len = bytes.length;
  const orig = seed.bytes;
  const store = decodeTrace(bytes);
  const p = store.problem;
  const fail: (what: string) => never = (what) => {
    throw new Error(`${seed.name} ${m.name} (${len} bytes): ${what}; problem ${JSON.stringify(p)}`);
  };

  // 3. bounds
  if (store.count > len / RECORD_BYTES) fail(`${store.count} records from ${len} bytes`);
  if (store.processes.length > len / CHUNK_HEADER_BYTES) fail(`${store.processes.length} processes`);
  if (store.kind.length > Math.max(1024, (2 * len) / RECORD_BYTES)) fail(`store capacity ${store.kind.length}`);
  if (store.bytes > len) fail(`store.bytes ${store.bytes} past the end`);
  if (p && !(p.byteOffset >= 0 && p.byteOffset <= len && Number.isInteger(p.byteOffset))) fail("problem offset out of the file");

  // 4. streaming in pieces agrees with whole-file decoding
  if (streamed) {
    const dec = new TraceDecoder();
    for (let at = 0; at < len; ) {
      const n = 1 + Math.floor(r() * 700);
      dec.push(bytes.subarray(at, at + n));
      at += n;
    }
    const s2 = dec.finish();
    if (s2.count !== store.count || !sameColumns(s2, store, store.count)) fail("streamed records differ");
    if (JSON.stringify(s2.problem) !== JSON.stringify(p)) fail(`streamed problem differs: ${JSON.stringify(s2.problem)}`);
  }

  const d = firstDifference(orig, bytes);
  if (d === -1) {
    if (p || store.count !== seed.store.count) fail("unchanged file decodes differently");
    return { promise: "weak", problemKind: null };
  }
  const prefixCut = len < orig.length && d === len;
  let C = orig.length;
  let ci = seed.chunks.length;
  let rel = 0;
  if (d < FILE_HEADER_BYTES) {
    C = 0;
    ci = -1;
  } else {
    for (let i = 0; i < seed.chunks.length; i++) {
      const c = seed.chunks[i];
      if (d >= c.start && d < c.end) {
        C = c.start;
        ci = i;
        rel = d - c.start;
        break;
      }
    }
  }
  const before = ci === -1 ? 0 : ci < seed.chunks.length ? seed.recordsBefore[ci] : seed.store.count;

  // 1 and 2
  if (ci === -1) {
    if (p && p.byteOffset > len) fail("header problem past the end");
  } else {
    if (p && p.byteOffset < C) fail(`problem at ${p.byteOffset}, before the first changed chunk at ${C}`);
    if (store.bytes < C) fail(`store.bytes ${store.bytes} < ${C}: intact chunks were dropped`);
    if (store.count < before || !sameColumns(store, seed.store, before)) fail(`the ${before} records before ${C} are not kept`);
  }

  // 5
  const guardedField = ci === -1 ? d < 10 : rel < 4 || (rel >= 12 && rel < 20) || rel >= CHUNK_HEADER_BYTES;
  const guarded = prefixCut || (!m.structural && guardedField);
  if (guarded) {
    if (prefixCut && ci >= 0 && (C === d || d === orig.length)) {
      if (p) fail(`a cut on the chunk boundary ${d} reports a problem`);
      if (store.count !== before) fail("a cut on a chunk boundary changed the records");
    } else if (ci === -1) {
      if (!p || p.byteOffset > 8 || store.count !== 0) fail("damaged file header not reported");
    } else {
      if (!p) fail(`damage at byte ${d} (chunk at ${C}, +${rel}) not reported`);
      if (p.byteOffset !== C) fail(`damage in the chunk at ${C} reported at ${p.byteOffset}`);
      if (prefixCut && p.kind !== "truncated") fail("a cut inside a chunk is not `truncated`");
      if (store.count !== before || store.bytes !== C) fail(`kept ${store.count} records, expected ${before}`);
    }
  }
  return { promise: guarded ? "guarded" : "weak", problemKind: p ? p.kind : null };
}

export interface RunStats {
  cases: number;
  guarded: number;
  byMutator: Record<string, number>;
  byProblem: Record<string, number>;
}

/** Run cases [from, from + cases) of fuzz seed `seed` over the seeds; throws on the first violation (with its case number). */
export function runFuzz(seeds: Seed[], cases: number, seed: number, streamEvery = 10, from = 0): RunStats {
  const stats: RunStats = { cases: 0, guarded: 0, byMutator: {}, byProblem: {} };
  for (let i = from; i < from + cases; i++) {
    const r = rng(seed * 1_000_003 + i);
    const s = seeds[i % seeds.length];
    const m = mutate(s, r);
    let res: CaseResult;
    try {
      res = checkCase(s, m, r, i % streamEvery === 0);
    } catch (e) {
      throw new Error(`case ${i} (seed ${seed}): ${e instanceof Error ? e.message : String(e)}`);
    }
    stats.cases++;
    if (res.promise === "guarded") stats.guarded++;
    const base = m.name.split("+")[0];
    stats.byMutator[base] = (stats.byMutator[base] ?? 0) + 1;
    const k = res.problemKind ?? "none";
    stats.byProblem[k] = (stats.byProblem[k] ?? 0) + 1;
  }
  return stats;
}

const TRACER = resolve(__dirname, "../../tracer/gil_timeline");

/** Small example scripts whose real traces are the fuzz seeds (a few KB each). */
export const SEED_SCRIPTS: Record<string, string> = {
  threads: [
    "import threading, time",
    "n = 0",
    "def work():",
    "    global n",
    "    for _ in range(30):",
    "        n += 1",
    "    time.sleep(0.001)",
    "ts = [threading.Thread(target=work) for _ in range(2)]",
    "for t in ts: t.start()",
    "for t in ts: t.join()",
    "",
  ].join("\n"),
  processes: [
    "import multiprocessing as mp",
    "def f(x):",
    "    return x * 2",
    "if __name__ == '__main__':",
    "    p = mp.Process(target=f, args=(1,))",
    "    p.start(); p.join()",
    "",
  ].join("\n"),
};

/** Trace every seed script with the real tracer (python tracer/gil_timeline --out F script.py) into `dir`. */
export function traceSeeds(python: string, dir: string, tracer = TRACER): Seed[] {
  const seeds: Seed[] = [];
  for (const [name, text] of Object.entries(SEED_SCRIPTS)) {
    const script = join(dir, `${name}.py`);
    const out = join(dir, `${name}.trace`);
    writeFileSync(script, text);
    const res = spawnSync(python, [tracer, "--out", out, script], { encoding: "utf8", timeout: 60_000 });
    if (res.status !== 0) throw new Error(`tracing ${name} failed: ${res.stderr}`);
    seeds.push(makeSeed(name, new Uint8Array(readFileSync(out))));
  }
  return seeds;
}
