// What an in-host test file (test/e2e/host/*.host.ts) imports: `suite` and `test`, node:assert style.
// Each test file is bundled on its own, so it carries its own copy of this module; the registry lives on
// globalThis under a well-known symbol so that the runner (another bundle) sees what the file registered.

export type TestBody = () => void | Promise<void>;

export interface TestOptions {
  /** Per-test limit; the extension host is slow on a loaded 2-core machine, hence the generous default. */
  timeoutMs?: number;
}

export interface RegisteredTest {
  name: string;
  body: TestBody;
  timeoutMs: number;
}

export const DEFAULT_TIMEOUT_MS = 60_000;
const REGISTRY = Symbol.for("gil-timeline.e2e.host-tests");

type Registry = { tests: RegisteredTest[]; prefix: string[] };
type WithRegistry = typeof globalThis & { [REGISTRY]?: Registry };

export function registry(): Registry {
  const g = globalThis as WithRegistry;
  g[REGISTRY] ??= { tests: [], prefix: [] };
  return g[REGISTRY];
}

/** Groups tests; names become "suite › test" in the results. */
export function suite(name: string, body: () => void): void {
  const r = registry();
  r.prefix.push(name);
  try {
    body();
  } finally {
    r.prefix.pop();
  }
}

export function test(name: string, body: TestBody, options: TestOptions = {}): void {
  const r = registry();
  r.tests.push({ name: [...r.prefix, name].join(" › "), body, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS });
}
