// Opens the BUILT webview bundle in headless Debian Chromium inside the same HTML shell and CSP
// the panel uses, with acquireVsCodeApi stubbed (the host is a collaborator, the UI is real).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { timelineHtml } from "../../../src/panel/html";
import type { HostToWebview, WebviewToHost } from "../../../src/protocol";

/** The repository root, found from the working directory so the bench can bundle this file too. */
function findRoot(from: string): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "webview", "main.ts")) && existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no GIL Timeline checkout above ${from}`);
  }
}

export const ROOT = findRoot(process.cwd());
const BUNDLE = join(ROOT, "media/dist/timeline.js");
const STYLE = join(ROOT, "media/timeline.css");
const STUB = join(ROOT, "test/webview/harness/vscodeStub.js");
export const SCREENSHOTS = join(ROOT, "test/webview/screenshots");

export const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

/** Debian's chromium, found on PATH like `command -v chromium` would. */
export function chromiumPath(): string {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    for (const name of ["chromium", "chromium-browser"]) {
      const candidate = join(dir, name);
      if (dir && existsSync(candidate)) return candidate;
    }
  }
  throw new Error("chromium not found on PATH: apt-get install -y chromium");
}

/** Newest modification time of the webview's sources (the bundle must be younger). */
function sourcesMtime(): number {
  const files = readdirSync(join(ROOT, "webview")).filter((f) => f.endsWith(".ts")).map((f) => join(ROOT, "webview", f));
  // The files outside webview/ that the bundle imports.
  files.push(join(ROOT, "src/protocol.ts"), join(ROOT, "src/trace/slices.ts"));
  return Math.max(...files.map((f) => statSync(f).mtimeMs));
}

const isStale = () => !existsSync(BUNDLE) || statSync(BUNDLE).mtimeMs < sourcesMtime();

/**
 * Makes sure media/dist/timeline.js is built from the current sources, with the build script
 * npm test runs. Under npm test it is already fresh and nothing is rebuilt (other suites run
 * dist/ files meanwhile); a lock keeps two browser test files from building at once.
 */
export function buildBundle(): void {
  if (!isStale()) return;
  const lock = join(ROOT, "media", ".build-lock");
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`${lock} held for two minutes; remove it if no build runs`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    if (!isStale()) return;
    const r = spawnSync(process.execPath, [join(ROOT, "scripts/build.mjs")], { cwd: ROOT, encoding: "utf8" });
    if (r.status !== 0 || !existsSync(BUNDLE)) throw new Error(`build failed: ${r.stderr}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_ARGS });
}

export interface WebviewPage {
  page: Page;
  /** Messages the webview posted to the host so far. */
  posted(): Promise<WebviewToHost[]>;
  cspViolations(): Promise<string[]>;
  pageErrors: string[];
  /** Posts a host message and, for models, waits until it is drawn. */
  send(message: HostToWebview): Promise<void>;
  close(): Promise<void>;
}

export async function openWebview(browser: Browser, title: string, size = { width: 1400, height: 900 }): Promise<WebviewPage> {
  const dir = mkdtempSync(join(tmpdir(), "gt-webview-"));
  const nonce = "testnonce0123456789";
  const shell = timelineHtml({ cspSource: "file:", scriptUri: pathToFileURL(BUNDLE).href, styleUri: pathToFileURL(STYLE).href, title, nonce });
  const stub = `<script nonce="${nonce}" src="${pathToFileURL(STUB).href}"></script>\n<script nonce="${nonce}" src`;
  const file = join(dir, "index.html");
  writeFileSync(file, shell.replace(`<script nonce="${nonce}" src`, stub));
  const page = await browser.newPage({ viewport: size });
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  page.on("dialog", (d) => {
    pageErrors.push(`dialog opened: ${d.message()}`);
    void d.dismiss();
  });
  page.on("console", (m) => m.type() === "error" && pageErrors.push(`console: ${m.text()}`));
  await page.goto(pathToFileURL(file).href);
  await page
    .waitForFunction(() => (window as unknown as { __posted?: WebviewToHost[] }).__posted?.some((m) => m.type === "ready"), undefined, { timeout: 15_000 })
    .catch((e: Error) => {
      throw new Error(`the webview never posted "ready": ${e.message}\n${pageErrors.join("\n")}`);
    });
  let renders = 0;
  return {
    page,
    pageErrors,
    posted: () => page.evaluate(() => (window as unknown as { __posted: WebviewToHost[] }).__posted),
    cspViolations: () => page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations),
    async send(message) {
      await page.evaluate((m) => window.postMessage(m, "*"), message);
      if (message.type === "model") {
        renders++;
        await page.waitForFunction((n) => Number(document.body.dataset.renders ?? 0) >= n, renders);
      }
    },
    async close() {
      await page.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
