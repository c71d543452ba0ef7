// Runs a script under the real tracer through runTracer, into a temporary trace file.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runTracer, type RunOptions, type RunResult } from "../../src/run/runTracer";

export const EXAMPLES = resolve(__dirname, "../../examples");

export async function traceScript(python: string, script: string, options: Partial<RunOptions> = {}): Promise<RunResult> {
  const dir = mkdtempSync(join(tmpdir(), "gil-model-test-"));
  try {
    return await runTracer({ python, script, out: join(dir, "t.trace"), timeoutS: 120, ...options });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
