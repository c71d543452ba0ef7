// The self-contained HTML report (issue 5): the panel's own UI bundle and stylesheet inlined,
// a stand-in host (webview/standalone.ts) in front of it, and the trace as JSON in an inert
// <script type="application/json"> block. Opens from disk with no network; the CSP allows exactly
// these inline scripts and this stylesheet, by hash. Pure: the assets come in as strings.
import { createHash } from "node:crypto";
import { escapeHtml } from "../panel/html";
import { REPORT_DATA_ID, type ReportData } from "./reportData";

export interface ReportAssets {
  /** media/dist/standalone.js: defines acquireVsCodeApi and answers the UI from the embedded data. */
  standaloneJs: string;
  /** media/dist/timeline.js: the panel's UI, unchanged. */
  timelineJs: string;
  /** media/timeline.css */
  css: string;
}

/**
 * Rules only the report needs: its own section below the panel UI, and a dark theme when the
 * browser asks for one (VS Code's Dark Modern colours, fed to the panel's own theme variables).
 */
const REPORT_CSS = `
@media (prefers-color-scheme: dark) {
  :root {
    --vscode-foreground: #cccccc; --vscode-editor-background: #1f1f1f; --vscode-editorWidget-border: #454545;
    --vscode-charts-green: #89d185; --vscode-charts-yellow: #cca700; --vscode-charts-blue: #3794ff;
    --vscode-charts-purple: #b180d7; --vscode-charts-orange: #d18616; --vscode-charts-red: #f14c4c;
    --vscode-descriptionForeground: #9d9d9d; --vscode-editorError-foreground: #f14c4c; --vscode-focusBorder: #0078d4;
    color-scheme: dark;
  }
}
#report { margin-top: 16px; }
#report pre { white-space: pre-wrap; overflow-wrap: anywhere; background: var(--gt-grid); padding: 8px; max-height: 40em; overflow: auto; }
#report .source { font-family: var(--vscode-editor-font-family, monospace); }
`;

/**
 * JSON that cannot end the <script> element it sits in: `<`, `>` and `&` become \u escapes (so no
 * `</script>` or `<!--` can appear), and so do U+2028/U+2029 (line terminators in old JS parsers).
 * JSON.parse reads the escapes back as the same characters.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * An asset as inline element content. Our bundles hold no `</script` or `<!--` today; if a
 * dependency ever adds one the report must not silently break, so say so instead.
 */
function inlineContent(name: string, text: string, closing: "script" | "style"): string {
  const body = text.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, "\n");
  if (new RegExp(`</${closing}|<!--`, "i").test(body)) throw new Error(`${name} contains "</${closing}" or "<!--" and cannot be inlined`);
  return body;
}

const sha256 = (text: string): string => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

export function reportCsp(scripts: string[], styles: string[]): string {
  return [
    "default-src 'none'",
    `script-src ${scripts.map(sha256).join(" ")}`,
    `style-src ${styles.map(sha256).join(" ")}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

export function htmlReport(data: ReportData, assets: ReportAssets): string {
  const standalone = inlineContent("standalone.js", assets.standaloneJs, "script");
  const timeline = inlineContent("timeline.js", assets.timelineJs, "script");
  const css = inlineContent("timeline.css", assets.css, "style") + REPORT_CSS;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${reportCsp([standalone, timeline], [css])}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<meta name="generator" content="gil-timeline">
<title>${escapeHtml(data.view.title)}</title>
<style>${css}</style>
</head>
<body>
<div id="app"></div>
<section id="report" aria-label="Report"></section>
<script type="application/json" id="${REPORT_DATA_ID}">${jsonForScript(data)}</script>
<script>${standalone}</script>
<script>${timeline}</script>
</body>
</html>
`;
}
