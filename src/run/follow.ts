// Follows a trace file while the tracer appends to it, feeding new bytes to a decoder. Polling,
// not fs.watch: the file may not exist yet when following starts, and polling behaves the same
// on every file system.
import { open, type FileHandle } from "node:fs/promises";
import type { TraceDecoder } from "../trace/decode";

const READ_SIZE = 1 << 20;

export class TraceFollower {
  private handle: FileHandle | null = null;
  private offset = 0;
  private readonly buffer = Buffer.allocUnsafe(READ_SIZE);
  private reading: Promise<number> | null = null;

  constructor(
    private readonly path: string,
    private readonly decoder: TraceDecoder,
  ) {}

  /** Read whatever was appended since the last call; returns the number of new bytes. */
  read(): Promise<number> {
    // Reads never overlap: a poll that fires while one is running waits for it.
    this.reading = (this.reading ?? Promise.resolve(0)).then(() => this.readNow());
    return this.reading;
  }

  async close(): Promise<void> {
    await this.reading;
    await this.handle?.close();
    this.handle = null;
  }

  private async readNow(): Promise<number> {
    if (!this.handle) {
      try {
        this.handle = await open(this.path, "r");
      } catch {
        return 0; // not created yet
      }
    }
    let total = 0;
    for (;;) {
      const { bytesRead } = await this.handle.read(this.buffer, 0, READ_SIZE, this.offset);
      if (bytesRead === 0) return total;
      this.offset += bytesRead;
      total += bytesRead;
      this.decoder.push(this.buffer.subarray(0, bytesRead));
    }
  }
}
