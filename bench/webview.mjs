// npm run bench calls this for the webview figures: bundles bench/webviewBench.ts (TypeScript,
// shares the real view model and browser harness) and runs it.
import * as esbuild from "esbuild";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

// Inside node_modules so the bundle resolves playwright-core like the sources do.
const cache = new URL("../node_modules/.cache/", import.meta.url).pathname;
mkdirSync(cache, { recursive: true });
const dir = mkdtempSync(join(cache, "gt-webview-bench-"));
const outfile = join(dir, "webviewBench.cjs");
try {
  await esbuild.build({
    entryPoints: [new URL("./webviewBench.ts", import.meta.url).pathname],
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    external: ["playwright-core", "esbuild"],
    logLevel: "warning",
  });
  await createRequire(import.meta.url)(outfile).main();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
