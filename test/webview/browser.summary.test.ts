// The side pane and the page around the chart in headless Chromium: the summary's figures checked
// against the model of a real run, keyboard access to lanes and races, a high-contrast theme.
import { describe, expect, it } from "vitest";
import { HANDOFF_REASONS } from "../../src/protocol";
import { buildTimelineView } from "../../src/panel/viewModel";
import { formatDuration, formatPercent } from "../../webview/format";
import { testPythons } from "../helpers/pythons";
import type { WebviewPage } from "./harness/browser";
import { traceExample } from "./harness/realViews";
import { show, useBrowser } from "./harness/session";
import { counterRace, makeModel, site } from "./fixtures";

const pythons = testPythons();
const newest = pythons[pythons.length - 1];
const browser = useBrowser();

/** The run facts (dt → dd) of the summary's first process section. */
async function facts(w: WebviewPage): Promise<Record<string, string>> {
  return w.page.evaluate(() => {
    const out: Record<string, string> = {};
    for (const dt of document.querySelectorAll(".summary dl.facts dt")) out[dt.textContent ?? ""] = dt.nextElementSibling?.textContent ?? "";
    return out;
  });
}

describe("summary contents (real trace)", () => {
  it(`03_counter_race on ${newest.version}: interpreter, GIL mode, wall time, per-thread shares and mean slice, handoffs by reason, races`, async () => {
    const { model, view } = await traceExample(newest.executable, "03_counter_race", { races: true });
    const w = await show(browser(), view, null);
    const [p] = model.processes;
    const f = await facts(w);
    expect(f.Interpreter).toBe(`CPython ${p.python.version}`);
    expect(p.python.version).toBe(newest.version);
    expect(f.GIL).toBe(`GIL enabled (one per process), switch interval ${+(p.python.switchIntervalS * 1000).toFixed(3)} ms`);
    expect(f["Wall time"]).toBe(formatDuration((p.endMs ?? model.durationMs) - p.startMs));
    const reasons = HANDOFF_REASONS.filter((r) => p.handoffs.byReason[r] > 0);
    expect(reasons.length).toBeGreaterThan(0);
    expect(f.Handoffs).toBe(`${p.handoffs.total} (${reasons.map((r) => `${r} ${p.handoffs.byReason[r]}`).join(", ")})`);
    expect(p.handoffs.total).toBe(model.handoffs.length);

    // One row per thread, in the model's figures: GIL share of its life, waiting, blocked, slices, mean slice.
    const rows = w.page.locator(".summary [data-lane]");
    expect(await rows.count()).toBe(model.threads.length);
    for (let i = 0; i < model.threads.length; i++) {
      const lane = view.lanes[i];
      const t = model.threads.find((x) => x.id === lane.id);
      if (!t) throw new Error(`no thread ${lane.id}`);
      const life = t.runningMs + t.waitingMs + t.blockedMs;
      const share = Math.min(t.runningMs / ((t.endMs ?? model.durationMs) - t.startMs), 1);
      const mean = t.slices > 0 ? `, mean ${formatDuration(t.runningMs / t.slices)}` : "";
      const expected = `GIL ${formatPercent(share)} \u00b7 waiting ${formatPercent(t.waitingMs / life)} \u00b7 blocked ${formatPercent(t.blockedMs / life)} \u00b7 ${t.slices} slices${mean}`;
      const row = rows.nth(i);
      expect(await row.locator(".lane-name").textContent()).toBe(t.name);
      expect(await row.locator(".lane-figures").textContent()).toBe(expected);
      expect(await row.getAttribute("aria-label")).toContain(expected);
    }
    // The counting workers held the GIL in many slices: their mean slice is shown.
    const workers = model.threads.filter((t) => t.target !== null);
    expect(workers.length).toBeGreaterThanOrEqual(4);
    for (const t of workers) expect(t.slices).toBeGreaterThan(0);

    // The race list: one item per race point, variable, kind, count and the written line.
    expect(model.races.length).toBeGreaterThan(0);
    expect(await w.page.locator("section[aria-label='Race points'] h2").textContent()).toBe(`Race points (${model.races.length})`);
    const items = await w.page.locator("[data-race]").allTextContents();
    expect(items).toHaveLength(model.races.length);
    model.races.forEach((r, i) => {
      const write = r.accesses.find((a) => a.op === "write") ?? r.accesses[0];
      expect(items[i]).toMatch(new RegExp(`^${r.variable}: ${r.kind === "lost-update" ? "lost update" : "unsynchronized"} \u00d7${r.count} at line ${write.line}`));
    });
    await w.close();
  });
});

describe("keyboard (hand-made model)", () => {
  const second = { ...counterRace(), variable: "total", interleaving: [] };
  const model = makeModel(
    [
      { name: "MainThread", index: 0, intervals: [[0, 10, 2, 3]] },
      { name: "a", index: 1, target: site(5), intervals: [[0, 5, 0], [5, 10, 1]] },
      { name: "b", index: 2, target: site(5), intervals: [[0, 5, 1], [5, 10, 0]] },
    ],
    { races: [counterRace(), second] },
  );

  it("Tab reaches the lane list then the race list (one stop each), arrows move inside, every item is labelled", async () => {
    const w = await show(browser(), buildTimelineView(model, { title: "keys" }), null);
    const active = () => w.page.evaluate(() => {
      const a = document.activeElement as HTMLElement;
      return { lane: a.dataset.lane, race: a.dataset.race, label: a.getAttribute("aria-label"), role: a.getAttribute("role") };
    });
    const stops: { lane?: string; race?: string }[] = [];
    for (let i = 0; i < 20; i++) {
      await w.page.keyboard.press("Tab");
      const a = await active();
      stops.push(a);
      if (a.race !== undefined) break;
    }
    // One tab stop per list: lane 0, then race 0 right after it.
    expect(stops.filter((s) => s.lane !== undefined).map((s) => s.lane)).toEqual(["0"]);
    expect(stops.at(-2)?.lane).toBe("0");
    expect(stops.at(-1)?.race).toBe("0");
    expect((await active()).label).toMatch(/^Race point counter: lost update \u00d72 at line 8/);
    await w.page.keyboard.press("ArrowDown");
    expect(await active()).toMatchObject({ race: "1", role: "option" });
    expect((await active()).label).toMatch(/^Race point total: lost update/);
    await w.page.keyboard.press("Enter");
    expect(await w.page.locator(".explainer h3").textContent()).toMatch(/^Race on total/);
    // Back into the lanes: arrows walk them, each labelled with its name and figures.
    await w.page.keyboard.press("Shift+Tab");
    expect((await active()).lane).toBe("0");
    for (const [i, name] of ["MainThread", "a", "b"].entries()) {
      const a = await active();
      expect(a.lane).toBe(String(i));
      expect(a.label).toMatch(new RegExp(`^${name}[:,].*slices`));
      await w.page.keyboard.press("ArrowDown");
    }
    // The list roves: the last lane focused is the list's one tab stop.
    expect(await w.page.locator('[data-lane][tabindex="0"]').getAttribute("data-lane")).toBe("2");
    expect(await w.page.locator('[data-race][tabindex="0"]').getAttribute("data-race")).toBe("1");
    expect(await w.page.locator("ul.lanes").getAttribute("role")).toBe("listbox");
    expect(await w.page.locator("ul.races").getAttribute("aria-label")).toMatch(/Race points/);
    await w.close();
  });
});

/** Relative luminance and contrast ratio (WCAG 2.x) of `rgb(r, g, b)` colours. */
function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
const contrast = (a: string, b: string) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};

describe("theming", () => {
  // What VS Code's "Dark High Contrast" theme sets: variables on <html>, the kind as a body class.
  const highContrast: Record<string, string> = {
    "--vscode-editor-background": "#000000",
    "--vscode-foreground": "#ffffff",
    "--vscode-contrastBorder": "#6fc3df",
    "--vscode-charts-green": "#89d185",
    "--vscode-charts-yellow": "#ffd370",
    "--vscode-charts-blue": "#75beff",
    "--vscode-charts-purple": "#b180d7",
    "--vscode-charts-orange": "#ffa500",
    "--vscode-charts-red": "#f48771",
  };

  /** The colour at the centre of the legend's first swatch (running). */
  const runningSwatch = (w: WebviewPage) =>
    w.page.evaluate(() => [...(document.querySelector<HTMLCanvasElement>(".legend canvas.swatch")?.getContext("2d")?.getImageData(14, 6, 1, 1).data ?? [])].slice(0, 3));

  /** Each legend swatch's pixels: the colour at its centre and a greyscale signature of its pattern. */
  async function swatches(w: WebviewPage) {
    return w.page.evaluate(() =>
      [...document.querySelectorAll<HTMLCanvasElement>(".legend canvas.swatch")].map((c) => {
        const d = c.getContext("2d")?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray();
        const grey: number[] = [];
        for (let i = 0; i < d.length; i += 4) grey.push(Math.round((0.3 * d[i] + 0.59 * d[i + 1] + 0.11 * d[i + 2]) * (d[i + 3] / 255)));
        return { grey: grey.join(","), label: c.parentElement?.textContent ?? "" };
      }),
    );
  }

  it("high contrast: state colours readable on the background and distinct, patterns tell states apart without colour", async () => {
    const { view } = await traceExample(newest.executable, "04_counter_sleep_race");
    const w = await show(browser(), view, null);
    await w.page.evaluate((vars) => {
      for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
      document.body.classList.add("vscode-high-contrast");
    }, highContrast);
    const colours = await w.page.evaluate(() => {
      const probe = document.createElement("span");
      document.body.append(probe);
      const resolve = (v: string) => {
        probe.style.color = getComputedStyle(document.body).getPropertyValue(v).trim();
        return getComputedStyle(probe).color;
      };
      const out = Object.fromEntries(["--gt-running", "--gt-waiting", "--gt-blocked", "--gt-mixed", "--gt-bg", "--gt-fg", "--gt-grid"].map((v) => [v, resolve(v)]));
      probe.remove();
      return out;
    });
    expect(colours["--gt-bg"]).toBe("rgb(0, 0, 0)");
    expect(colours["--gt-grid"]).toBe("rgb(111, 195, 223)");
    const states = ["--gt-running", "--gt-waiting", "--gt-blocked", "--gt-mixed"].map((v) => colours[v]);
    // WCAG 1.4.11: graphics at least 3:1 against what they sit on; and no two states alike.
    for (const c of states) expect(contrast(c, colours["--gt-bg"])).toBeGreaterThanOrEqual(3);
    expect(new Set(states).size).toBe(4);
    // The legend follows the theme: the running swatch is painted in the theme's green.
    expect(await runningSwatch(w)).toEqual([0x89, 0xd1, 0x85]);
    // Without hue: every state's swatch differs from every other in greyscale, and is named by its pattern.
    const keys = (await swatches(w)).slice(0, 4);
    expect(new Set(keys.map((k) => k.grey)).size).toBe(4);
    expect(keys.map((k) => k.label)).toEqual([
      "running (holds the GIL), solid", "waiting for the GIL, hatched", "blocked, dotted", "several states (zoom in), cross-hatched",
    ]);
    // Greyscale alone: the three patterned states are not flat colour (the solid one is).
    const flat = keys.map((k) => new Set(k.grey.split(",")).size === 1);
    expect(flat).toEqual([true, false, false, false]);
    expect(w.pageErrors).toEqual([]);
    await w.close();
  });

  it("a theme change that only rewrites the colour variables (dark to another dark) repaints the legend", async () => {
    const model = makeModel([{ name: "a", index: 1, intervals: [[0, 10, 0]] }]);
    const w = await show(browser(), buildTimelineView(model, { title: "theme" }), null);
    await w.page.evaluate(() => document.documentElement.style.setProperty("--vscode-charts-green", "#00ff00"));
    await expect.poll(() => runningSwatch(w)).toEqual([0, 255, 0]);
    await w.close();
  });
});
