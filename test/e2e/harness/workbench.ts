// Drives the code-server workbench in headless Debian Chromium through playwright-core.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { chromium, type FrameLocator, type Page } from "playwright-core";
import { screenshotsDir } from "./paths";

const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-breakpad",
];

function chromiumPath(): string {
  try {
    return execFileSync("sh", ["-c", "command -v chromium"], { encoding: "utf8" }).trim();
  } catch {
    throw new Error("chromium not found: apt-get install -y --no-install-recommends chromium");
  }
}

const profiles = new WeakMap<Page, string>();

/**
 * Opens the workbench at `url` in a fresh headless Chromium profile and waits for `.monaco-workbench`.
 * Close it with closeWorkbench(page).
 */
export async function openWorkbench(url: string, options: { timeoutMs?: number } = {}): Promise<Page> {
  const profile = mkdtempSync(join(tmpdir(), "gil-e2e-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  profiles.set(page, profile);
  await page.goto(url);
  await page.locator(".monaco-workbench").waitFor({ timeout: options.timeoutMs ?? 90_000 });
  return page;
}

/** Closes the browser and removes its profile folder. */
export async function closeWorkbench(page: Page): Promise<void> {
  await page.context().close();
  const profile = profiles.get(page);
  // Chromium may still be flushing the profile right after close: retry a little.
  if (profile) await rm(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
}

async function typeIntoQuickInput(page: Page, key: string, text: string): Promise<void> {
  // A quick input still closing (a command just picked from the palette) takes the key and hides the new one.
  await page.locator(".quick-input-widget:visible").waitFor({ state: "detached" });
  await page.keyboard.press(key);
  const input = page.locator(".quick-input-widget input");
  await input.waitFor();
  await input.fill(text);
}

const quickInputLabels = (page: Page) => page.locator(".quick-input-widget .monaco-list-row .label-name");
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Types `text` and clicks the row whose label is exactly `label` ("Trace Current File" must not pick
 * "... with Arguments…"). The palette computes its rows once, from the context keys of the moment (e.g.
 * `editorLangId` of a file that has only just opened), so a missing row is retried with a fresh palette.
 */
async function pickFromQuickInput(page: Page, key: string, text: string, label: string, timeoutMs = 30_000): Promise<void> {
  const row = quickInputLabels(page).filter({ hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }).first();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await typeIntoQuickInput(page, key, text);
    const found = await row.waitFor({ timeout: 3_000 }).then(() => true, () => false);
    // Click rather than press Enter: the list filters asynchronously.
    if (found) return row.click();
    await page.keyboard.press("Escape");
    if (Date.now() > deadline) throw new Error(`"${label}" is not offered for "${text}" (after ${timeoutMs} ms)`);
  }
}

/** The titles the command palette lists for `query` (e.g. "GIL Timeline:"); closes the palette again. */
export async function paletteCommands(page: Page, query: string): Promise<string[]> {
  await typeIntoQuickInput(page, "F1", `>${query}`);
  // The list fills asynchronously; an empty answer is legitimate, so wait briefly rather than for a row.
  await quickInputLabels(page).first().waitFor({ timeout: 5_000 }).catch(() => undefined);
  const titles = (await quickInputLabels(page).allTextContents()).map((t) => t.trim());
  await page.keyboard.press("Escape");
  return titles;
}

/** Runs a command by its palette title (F1), e.g. "GIL Timeline: Show Timeline". Fails if it is not listed. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await pickFromQuickInput(page, "F1", `>${title}`, title);
}

/**
 * Puts the active editor's cursor at `line`:`column` (1-based) through Go to Line (Ctrl+G), so no hover or
 * tooltip left under the mouse can take the click meant for the code.
 */
export async function goToLine(page: Page, line: number, column = 1): Promise<void> {
  await typeIntoQuickInput(page, "Control+G", `:${line}:${column}`);
  await page.keyboard.press("Enter");
  await page.locator(".quick-input-widget").waitFor({ state: "hidden" });
}

/** Opens a workspace file through quick open (Ctrl+P) and waits for its editor tab to be active. */
export async function openFile(page: Page, relPath: string): Promise<void> {
  const name = basename(relPath);
  await pickFromQuickInput(page, "Control+P", relPath, name);
  // By resource name: a timeline tab's title ("GIL Timeline: name") also contains the file name.
  await page.locator(`.tab.active[data-resource-name="${name.replace(/["\\]/g, "\\$&")}"]`).first().waitFor();
}

/**
 * Developer: Reload Window, the user's way to reload: VS Code shuts the window down properly (editor
 * layout and webview state saved) before reloading; a bare browser reload can lose a layout not yet
 * written. Resolves once the reloaded workbench is there (restored webviews load after it).
 */
export async function reloadWindow(page: Page, timeoutMs = 60_000): Promise<void> {
  // Listening before the command runs: a quick reload can load the page before runCommand returns.
  const loaded = page.waitForEvent("load", { timeout: timeoutMs });
  try {
    await runCommand(page, "Developer: Reload Window");
  } catch (e) {
    loaded.catch(() => undefined);
    throw e;
  }
  await loaded;
  await page.locator(".monaco-workbench").waitFor({ timeout: timeoutMs });
}

/** The DOM inside the (first) webview: code-server nests it in two iframes. */
export function webviewFrame(page: Page): FrameLocator {
  return page.frameLocator("iframe.webview.ready").frameLocator("#active-frame");
}

/** Saves a full-page screenshot to test/e2e/screenshots/<name>.png (gitignored) and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotsDir, { recursive: true });
  const path = join(screenshotsDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
