// Finds the built webview assets the HTML report inlines. They are read at run time from the
// package (dist/cli.js and dist/extension.js sit next to media/; tests run from src/report/), not
// embedded by the build: the report then carries exactly the bundle the panel runs, and the CLI
// bundle does not grow by a second copy of the UI.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { ReportAssets } from "./htmlReport";

const FILES = { standaloneJs: "media/dist/standalone.js", timelineJs: "media/dist/timeline.js", css: "media/timeline.css" } as const;

/** The folder above `from` that holds all three assets. */
export function assetsRoot(from: string = __dirname): string {
  let dir = from;
  for (let up = 0; up < 5; up++) {
    if (Object.values(FILES).every((f) => existsSync(join(dir, f)))) return dir;
    dir = dirname(dir);
  }
  throw new Error(`the report assets (${Object.values(FILES).join(", ")}) were not found above ${from}; run npm run build`);
}

export function readReportAssets(root: string = assetsRoot()): ReportAssets {
  return {
    standaloneJs: readFileSync(join(root, FILES.standaloneJs), "utf8"),
    timelineJs: readFileSync(join(root, FILES.timelineJs), "utf8"),
    css: readFileSync(join(root, FILES.css), "utf8"),
  };
}
