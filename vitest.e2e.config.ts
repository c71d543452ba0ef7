import { defineConfig } from "vitest/config";

// The real-VS-Code suite: one code-server and one Chromium at a time on a 2-core machine, so one worker,
// files in sequence, and timeouts sized for an extension host that takes 10-20 s to start under load.
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.e2e.ts"],
    globalSetup: ["test/e2e/harness/global-setup.ts"],
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 240_000,
    hookTimeout: 300_000,
  },
});
