// Loads bundled in-host test files one after another and runs what each registered, in order.
// Shared by the code-server path (extension.ts) and the @vscode/test-electron path (electron-index.ts).
import { registry, type RegisteredTest } from "./api";
import type { HostRunResult, HostTestResult } from "./result";

export function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

async function withTimeout(test: RegisteredTest): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${test.timeoutMs} ms`)), test.timeoutMs);
  });
  try {
    await Promise.race([Promise.resolve().then(test.body), limit]);
  } finally {
    clearTimeout(timer);
  }
}

async function runOne(file: string, test: RegisteredTest): Promise<HostTestResult> {
  const started = Date.now();
  try {
    await withTimeout(test);
    return { file, name: test.name, passed: true, durationMs: Date.now() - started };
  } catch (error) {
    return { file, name: test.name, passed: false, error: describeError(error), durationMs: Date.now() - started };
  }
}

/** Loads a test file afresh, so that running the same file twice registers its tests twice, not zero times. */
export function loadFresh(file: string): void {
  delete require.cache[require.resolve(file)];
  require(file);
}

export async function runFiles(files: readonly string[], load: (file: string) => void): Promise<HostRunResult> {
  const results: HostTestResult[] = [];
  let fatal: string | undefined;
  for (const file of files) {
    const r = registry();
    r.tests = [];
    try {
      load(file);
    } catch (error) {
      fatal = `${file}: ${describeError(error)}`;
      break;
    }
    for (const test of r.tests) results.push(await runOne(file, test));
  }
  const passed = results.filter((t) => t.passed).length;
  return { results, passed, failed: results.length - passed, ...(fatal ? { fatal } : {}) };
}
