// Workspaces for e2e tests: a private copy a test may change (quick fixes edit files, runs write traces).
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { repoRoot, workRoot } from "./paths";

/**
 * Copies `from` (relative to the repository root, e.g. "examples") into a fresh folder under
 * test/e2e/.work/workspaces/ and adds `files` (relative path → content). Returns the folder.
 */
export function copyWorkspace(from?: string, files: Record<string, string> = {}): string {
  const base = join(workRoot, "workspaces");
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, "ws-"));
  if (from) cpSync(resolve(repoRoot, from), dir, { recursive: true });
  for (const [rel, content] of Object.entries(files)) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return dir;
}

/** A Python script with `n` CPU-bound worker threads, for tests that change the count on disk between runs. */
export function workerThreads(n: number): string {
  return [
    "import threading",
    "def work():",
    "    s = 0",
    "    for i in range(100_000):",
    "        s += i",
    `ts = [threading.Thread(target=work) for _ in range(${n})]`,
    "for t in ts: t.start()",
    "for t in ts: t.join()",
    "print('threads', len(ts))",
    "",
  ].join("\n");
}
