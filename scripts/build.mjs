// Bundles the three faces: the extension host, the CLI and the webview.
import * as esbuild from "esbuild";
import { existsSync } from "node:fs";

const watch = process.argv.includes("--watch");
const common = { bundle: true, sourcemap: true, logLevel: "info", target: "es2022" };

const entries = [
  { entryPoints: ["src/extension.ts"], outfile: "dist/extension.js", platform: "node", format: "cjs", external: ["vscode"] },
  { entryPoints: ["src/cli.ts"], outfile: "dist/cli.js", platform: "node", format: "cjs" },
  { entryPoints: ["webview/main.ts"], outfile: "media/dist/timeline.js", platform: "browser", format: "iife" },
  // The stand-in host the HTML report inlines in front of timeline.js (src/report/htmlReport.ts).
  { entryPoints: ["webview/standalone.ts"], outfile: "media/dist/standalone.js", platform: "browser", format: "iife" },
].filter((e) => existsSync(e.entryPoints[0]));

for (const options of entries) {
  const ctx = await esbuild.context({ ...common, ...options });
  if (watch) await ctx.watch();
  else {
    await ctx.rebuild();
    await ctx.dispose();
  }
}
