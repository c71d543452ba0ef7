// Polling helpers: the workbench, the extension host and the extension all report through files or the DOM.
import { existsSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

/** Polls `probe` until it returns a value other than undefined; throws `what` on timeout. */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, options: WaitOptions = {}): Promise<T> {
  const { timeoutMs = 60_000, intervalMs = 250 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/**
 * Waits for a marker file and returns its parsed JSON. Writers must write atomically (temp file + rename):
 * a marker that exists is complete.
 */
export function waitForMarker<T = unknown>(path: string, options: WaitOptions = {}): Promise<T> {
  return waitFor(`marker file ${path}`, () => (existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as T) : undefined), options);
}
