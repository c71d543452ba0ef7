// The in-host half: bundle test/e2e/host/*.host.ts for the host runner, then read what it reported.
import { join } from "node:path";
import { buildHostTests } from "../host-runner/build.mjs";
import type { HostRunResult } from "../host-runner/src/result";
import type { CodeServer } from "./code-server";
import { workRoot } from "./paths";
import { waitForMarker, type WaitOptions } from "./wait";

export type { HostRunResult, HostTestResult } from "../host-runner/src/result";

/** Bundles in-host test files (paths relative to the repository root) to CJS; pass the result as `hostTests`. */
export function bundleHostTests(files: readonly string[]): Promise<string[]> {
  return buildHostTests(files, join(workRoot, "host"));
}

/**
 * Waits for the host runner's report. The extension host starts only once a browser has connected,
 * so call openWorkbench() first.
 */
export function hostResults(server: CodeServer, options: WaitOptions = { timeoutMs: 180_000 }): Promise<HostRunResult> {
  return waitForMarker<HostRunResult>(server.hostResultPath, options);
}

/** Throws one error listing every failed in-host test (or the load failure), so vitest shows them all. */
export function assertHostTestsPassed(result: HostRunResult): void {
  const failures = result.results.filter((t) => !t.passed).map((t) => `✗ ${t.name}\n${t.error ?? ""}`);
  if (result.fatal) failures.unshift(`could not load: ${result.fatal}`);
  if (result.results.length === 0 && !result.fatal) failures.push("no in-host tests ran");
  if (failures.length > 0) throw new Error(`in-host tests failed:\n${failures.join("\n\n")}`);
}
