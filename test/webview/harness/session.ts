// One Chromium per browser test file, and the checks every page must pass. Used by the
// browser.*.test.ts files (split so each stays well under a minute on two cores).
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import type { TimelineView, WebviewToHost } from "../../../src/protocol";
import { buildBundle, launch, openWebview, SCREENSHOTS, type WebviewPage } from "./browser";

/** Call at the top of a test file: builds the bundle and starts Chromium for the file's tests. */
export function useBrowser(): () => Browser {
  let browser: Browser | null = null;
  beforeAll(async () => {
    buildBundle();
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error("the browser is not running");
    return browser;
  };
}

/** Opens the webview on a view and checks what every page must satisfy: drawn, no errors, CSP intact. */
export async function show(browser: Browser, view: TimelineView, shot: string | null): Promise<WebviewPage> {
  const w = await openWebview(browser, view.title);
  await w.send({ type: "model", view });
  await w.send({ type: "status", status: { state: "done" } });
  if (shot) await w.page.screenshot({ path: join(SCREENSHOTS, `${shot}.png`), fullPage: true });
  expect(w.pageErrors).toEqual([]);
  expect(await w.cspViolations()).toEqual([]);
  return w;
}

export async function lastReveal(w: WebviewPage): Promise<Extract<WebviewToHost, { type: "reveal" }> | undefined> {
  const posted = await w.posted();
  return posted.filter((m): m is Extract<WebviewToHost, { type: "reveal" }> => m.type === "reveal").at(-1);
}

export function lineOf(file: string, pattern: RegExp): number {
  return readFileSync(file, "utf8").split("\n").findIndex((l) => pattern.test(l)) + 1;
}
