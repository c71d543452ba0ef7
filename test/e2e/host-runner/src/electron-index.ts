// Entry point for @vscode/test-electron (`extensionTestsPath`): runs the same bundled in-host test files
// in a downloaded desktop VS Code and fails the run when any test fails.
import { loadFresh, runFiles } from "./run-files";
import { hostTestFiles } from "./result";

export async function run(): Promise<void> {
  const files = hostTestFiles();
  const result = await runFiles(files, loadFresh);
  for (const t of result.results) console.log(`${t.passed ? "ok  " : "FAIL"} ${t.name}${t.error ? `\n${t.error}` : ""}`);
  if (result.fatal) throw new Error(result.fatal);
  if (files.length === 0 || result.failed > 0) {
    throw new Error(`${result.failed} of ${result.results.length} in-host tests failed (${files.length} files)`);
  }
}
