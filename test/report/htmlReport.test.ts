// The self-contained HTML report: written by the real CLI from real traces, opened from disk in
// headless Chromium with every non-file request refused. Checks it draws, explains the race, keeps
// its CSP, and shows hostile trace strings as text.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { htmlReport, jsonForScript } from "../../src/report/htmlReport";
import type { TraceSummary } from "../../src/trace/summary";
import { buildCli, cli } from "../cli/cliRun";
import { testPythons } from "../helpers/pythons";
import { buildBundle, launch, ROOT } from "../webview/harness/browser";
import { lineOf } from "../webview/harness/session";

const all = testPythons();
const ends = [all[0], all[all.length - 1]];
const EXAMPLES = resolve(ROOT, "examples");
const STANDALONE = join(ROOT, "media/dist/standalone.js");
const dir = mkdtempSync(join(tmpdir(), "gt-html-report-"));
let browser: Browser | null = null;

/** timeline.js is kept fresh by the webview harness; the stand-in host is built by the same script. */
function buildAssets(): void {
  buildBundle();
  const sources = ["webview/standalone.ts", "webview/dom.ts", "src/report/reportData.ts"].map((f) => statSync(join(ROOT, f)).mtimeMs);
  if (existsSync(STANDALONE) && statSync(STANDALONE).mtimeMs >= Math.max(...sources)) return;
  const r = spawnSync(process.execPath, [join(ROOT, "scripts/build.mjs")], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
}

beforeAll(async () => {
  buildAssets();
  await buildCli();
  browser = await launch();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface OpenReport {
  page: Page;
  /** Requests for anything but file: and data: URLs (all refused). */
  remote: string[];
  errors: string[];
  csp(): Promise<string[]>;
}

async function openReport(file: string): Promise<OpenReport> {
  if (!browser) throw new Error("the browser is not running");
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const remote: string[] = [];
  const errors: string[] = [];
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
    remote.push(url);
    return route.abort();
  });
  const page = await context.newPage();
  page.on("request", (r) => {
    if (!/^(file|data):/.test(r.url())) remote.push(r.url());
  });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(`console: ${m.text()}`));
  page.on("dialog", (d) => {
    errors.push(`dialog opened: ${d.message()}`);
    void d.dismiss();
  });
  // Injected by the browser, not the page, so it is not subject to the page's CSP.
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction(() => Number(document.body.dataset.renders ?? 0) >= 1, undefined, { timeout: 30_000 }).catch((e: Error) => {
    throw new Error(`the report never drew: ${e.message}\n${errors.join("\n")}`);
  });
  return { page, remote, errors, csp: () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp) };
}

const threadCount = (s: TraceSummary) => s.processes.reduce((n, p) => n + p.threads.length, 0);

describe.each(ends.map((p) => [p.version, p.executable]))("03_counter_race report on CPython %s", (version, python) => {
  it("draws one lane per thread, lists the race with its explainer, with no request, error or CSP violation", async () => {
    const html = join(dir, `03-${version}.html`);
    const json = join(dir, `03-${version}.json`);
    const script = join(EXAMPLES, "03_counter_race.py");
    const saved = join(dir, `03-${version}.trace`);
    const r = await cli(["trace", "--python", python, "--html", html, "--json", json, "--out", saved, script]);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(json, "utf8")) as TraceSummary;
    const race = summary.races.findIndex((x) => x.variable === "counter");
    expect(race).toBeGreaterThanOrEqual(0);

    const text = readFileSync(html, "utf8");
    expect(text).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-/);

    const w = await openReport(html);
    const { page } = w;
    expect(await page.locator("script[src], link, iframe, object, embed").count()).toBe(0);
    expect(threadCount(summary)).toBeGreaterThanOrEqual(5);
    expect(await page.locator("[data-lane]").count()).toBe(threadCount(summary));
    expect(await page.locator(".status").getAttribute("data-state")).toBe("done");
    expect(await page.locator("canvas[data-lanes]").getAttribute("data-lanes")).toBe(String(threadCount(summary)));
    expect(Number(await page.locator("canvas[data-race-markers]").getAttribute("data-race-markers"))).toBeGreaterThan(0);
    expect(await page.locator("[data-race]").count()).toBe(summary.races.length);

    // The explainer, and the source line a click would open in the editor, shown as file:line.
    await page.locator(`[data-race="${race}"]`).click();
    expect(await page.locator(".explainer .step").count()).toBeGreaterThan(0);
    expect(await page.locator(".explainer .untraced").textContent()).toMatch(Number(version.split(".")[1]) <= 9 ? /can happen/ : /cannot switch here/);
    const line = lineOf(script, /^\s+counter \+= 1/);
    await expect.poll(() => page.locator("#report .source").textContent()).toBe(`${script}:${line}`);
    expect(await page.locator("#report").textContent()).toContain(r.stdout.trim());
    expect(r.stdout).toMatch(/^counter = \d+/);
    expect(await page.locator("#report").textContent()).toContain("Race points");

    expect(w.remote).toEqual([]);
    expect(w.errors).toEqual([]);
    expect(await w.csp()).toEqual([]);
    await page.context().close();

    // From the saved trace: the same lanes and races (the program's output is not in a trace).
    const fromSaved = join(dir, `03-${version}-saved.html`);
    expect((await cli(["summary", saved, "--html", fromSaved])).code).toBe(0);
    const s = await openReport(fromSaved);
    expect(await s.page.locator("[data-lane]").count()).toBe(threadCount(summary));
    expect(await s.page.locator("[data-race]").count()).toBe(summary.races.length);
    expect(await s.page.locator("#report details", { hasText: "Program output" }).count()).toBe(0);
    expect(s.errors).toEqual([]);
    expect(await s.csp()).toEqual([]);
    await s.page.context().close();
  });
});

describe("hostile strings", () => {
  const evilThread = "</script><img src=x onerror=alert(1)>";
  const evilOutput = "<script>alert(2)</script></script><!-- \u2028\u2029 &amp; done";
  const evilMessage = "<svg onload=alert(4)><b>bold</b>";
  const evilFunction = "<img src=x onerror=alert(5)>";

  it("keep the embedded JSON inside its script element and read back unchanged", () => {
    const value = { a: evilThread, b: evilOutput };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });

  it("refuses to inline an asset that could close its element", () => {
    const data = { view: { title: "t" }, status: { state: "done" }, summaryText: "", output: null, generatedAt: "" } as unknown as Parameters<typeof htmlReport>[0];
    expect(() => htmlReport(data, { standaloneJs: "x='</script>'", timelineJs: "", css: "" })).toThrow(/cannot be inlined/);
  });

  it("a thread name, function name, file name, exception message and output made of HTML show as text and run nothing", async () => {
    const python = ends[1].executable;
    const scriptDir = mkdtempSync(join(dir, "evil-"));
    const script = join(scriptDir, `"><img src=x onerror=alert(3)>.py`);
    writeFileSync(
      script,
      `import threading, time\n\nprint(${JSON.stringify(evilOutput)})\n\n` +
        `def work():\n    time.sleep(0.01)\n    raise ValueError(${JSON.stringify(evilMessage)})\n\n` +
        // The target's code object renamed: its co_name (and co_qualname, 3.11+) is what the trace records.
        `extra = {"co_qualname": ${JSON.stringify(evilFunction)}} if hasattr(work.__code__, "co_qualname") else {}\n` +
        `work.__code__ = work.__code__.replace(co_name=${JSON.stringify(evilFunction)}, **extra)\n` +
        `t = threading.Thread(target=work, name=${JSON.stringify(evilThread)})\nt.start()\nt.join()\nraise SystemExit(3)\n`,
    );
    const html = join(dir, "evil.html");
    const r = await cli(["trace", "--python", python, "--html", html, script]);
    expect(r.code, r.stderr).toBe(3);
    const text = readFileSync(html, "utf8");
    // The page's own elements only: two inline scripts and the inert JSON block.
    expect(text.match(/<script/g)?.length).toBe(3);
    expect(text).not.toContain("<img");

    const w = await openReport(html);
    const { page } = w;
    expect(await page.locator("[data-lane] .lane-name", { hasText: evilThread }).count()).toBe(1);
    expect(await page.locator("[data-lane] .lane-target").allTextContents()).toContain(`${evilFunction}()`);
    expect(await page.locator("h1").textContent()).toBe(`"><img src=x onerror=alert(3)>.py`);
    // The status line says how the run ended, as the panel would.
    // The thread's ValueError does not name the run's failure: the process ended by SystemExit(3).
    expect(await page.locator('.status[data-state="failed"]').textContent()).toContain("exit code 3");
    await page.locator("#report details", { hasText: "Program output" }).locator("summary").click();
    expect(await page.locator("#report pre", { hasText: "alert(2)" }).textContent()).toBe(`${evilOutput}\n`);
    // The thread's uncaught exception: its message is in the trace and shown as text wherever it is shown.
    expect(text).toContain("onload=alert(4)");
    expect(await page.locator("img, svg[onload], b").count()).toBe(0);
    expect(await page.locator("script").count()).toBe(3);
    expect(w.errors).toEqual([]);
    expect(await w.csp()).toEqual([]);
    expect(w.remote).toEqual([]);
    await page.context().close();
  });
});
