// The result file the host runner writes and the harness reads: the one contract between them.

export interface HostTestResult {
  /** The bundled test file the test came from. */
  file: string;
  name: string;
  passed: boolean;
  /** Stack (or message) of the failure. */
  error?: string;
  durationMs: number;
}

export interface HostRunResult {
  results: HostTestResult[];
  passed: number;
  failed: number;
  /** Set when a test file could not even be loaded. */
  fatal?: string;
}

/** Environment variables through which the harness tells the runner what to run and where to report. */
export const HOST_TESTS_ENV = "GIL_TIMELINE_E2E_HOST_TESTS";
export const HOST_RESULT_ENV = "GIL_TIMELINE_E2E_HOST_RESULT";

/** The test files named in the environment (a JSON array of absolute paths of bundled CJS files). */
export function hostTestFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  const parsed: unknown = JSON.parse(env[HOST_TESTS_ENV] ?? "[]");
  if (!Array.isArray(parsed) || !parsed.every((f): f is string => typeof f === "string")) {
    throw new Error(`${HOST_TESTS_ENV} must be a JSON array of file paths`);
  }
  return parsed;
}
