// Record and chunk constants of docs/trace-format.md (version 1), shared by the decoder, the model
// and the test encoder so each number is written once.

export const FORMAT_VERSION = 1;
export const FILE_HEADER_BYTES = 16;
export const CHUNK_HEADER_BYTES = 24;
export const RECORD_BYTES = 24;
/** ASCII "GILTRACE". */
export const FILE_MAGIC = [0x47, 0x49, 0x4c, 0x54, 0x52, 0x41, 0x43, 0x45];
/** ASCII "GTCK" read as a little-endian u32. */
export const CHUNK_MAGIC = 0x4b435447;

export const ChunkKind = { process: 1, events: 2, processEnd: 3, samples: 4 } as const;

export const Rec = {
  STR: 0x01,
  CODE: 0x02,
  SITE: 0x03,
  LOC: 0x04,
  CODE_DIS: 0x05,
  STACK: 0x06,
  THREAD_START: 0x10,
  THREAD_SPAWN: 0x11,
  THREAD_END: 0x12,
  THREAD_JOINED: 0x13,
  EXCEPTION: 0x14,
  THREAD_NAME: 0x15,
  PROCESS_SPAWN: 0x16,
  RUN: 0x20,
  BLOCK_ENTER: 0x30,
  BLOCK_EXIT: 0x31,
  LOCK_ACQUIRED: 0x40,
  LOCK_RELEASE: 0x41,
  SYNC_RELEASE: 0x42,
  SYNC_ACQUIRE: 0x43,
  LOCK_NEW: 0x44,
  ACCESS: 0x50,
  MARK: 0x60,
  DROPPED: 0x61,
  GAP: 0x62,
} as const;

/** GAP flags: where the records a --max-events gap dropped begin and end. */
export const GapFlag = { begin: 0, end: 1 } as const;

/** The "none" thread index. */
export const NO_THREAD = 0xffff;

/** THREAD_START flags. */
export const ThreadFlag = { daemon: 1, main: 2, dummy: 4 } as const;

/** Block kind codes (BLOCK_ENTER flags); index into types.ts BLOCK_KINDS. */
export const BlockCode = { sleep: 1, lock: 2, join: 3 } as const;

/** BLOCK_EXIT outcomes (`a`). */
export const BlockExit = { timeout: 0, ok: 1, raised: 2 } as const;

export const TWO_32 = 4294967296;

/** Low 32 bits of a non-negative i64 held as a JS number. */
export function lo32(v: number): number {
  return v % TWO_32;
}

/** High 32 bits of a non-negative i64 held as a JS number. */
export function hi32(v: number): number {
  return Math.floor(v / TWO_32);
}
