import { defineConfig } from "vitest/config";

// Tests spawn real interpreters and, for e2e, a real VS Code: generous timeouts, few workers
// (CI machines have 2 cores and timing-sensitive traces suffer from oversubscription).
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/e2e/**", "node_modules/**"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    maxWorkers: 2,
  },
});
