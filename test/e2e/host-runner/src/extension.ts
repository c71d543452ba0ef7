// The test-only extension's entry point. When the harness named test files in the environment, it runs
// them inside this extension host (with the real `vscode` API) right after startup, and writes the
// result atomically (temp file + rename) so the harness never reads half a JSON.
import { renameSync, writeFileSync } from "node:fs";
import { describeError, loadFresh, runFiles } from "./run-files";
import { HOST_RESULT_ENV, hostTestFiles, type HostRunResult } from "./result";

function writeResult(path: string, result: HostRunResult): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(result, null, 2));
  renameSync(temp, path);
}

export async function activate(): Promise<void> {
  const resultPath = process.env[HOST_RESULT_ENV];
  if (!resultPath) return;
  let result: HostRunResult;
  try {
    result = await runFiles(hostTestFiles(), loadFresh);
  } catch (error) {
    result = { results: [], passed: 0, failed: 0, fatal: describeError(error) };
  }
  writeResult(resultPath, result);
}

export function deactivate(): void {}
