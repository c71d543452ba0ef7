// A run over --max-events in the built webview (headless Chromium), on a real trace (newest CPython)
// made through runTracer's maxEvents: the gap is a band across the lanes with its caption, and the
// side pane says how many events were dropped, of which kinds, and where.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { buildTimelineView } from "../../src/panel/viewModel";
import { runTracer } from "../../src/run/runTracer";
import { testPythons } from "../helpers/pythons";
import { show, useBrowser } from "./harness/session";

const pythons = testPythons();
const newest = pythons[pythons.length - 1];
const browser = useBrowser();
const LONG = resolve(__dirname, "../tracer/fixtures/long_race.py");
const LIMIT = 2000;

describe("a run over its event limit in the timeline", () => {
  it("draws the gap as a captioned band and lists what was dropped in the side pane", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gt-webview-gap-"));
    try {
      const r = await runTracer({ python: newest.executable, script: LONG, out: join(dir, "run.trace"), maxEvents: LIMIT, timeoutS: 60 });
      expect(r.exitCode).toBe(0);
      expect(r.model.gaps).toHaveLength(1); // runTracer passed --max-events
      const gap = r.model.gaps[0];
      const view = buildTimelineView(r.model, { title: "long_race.py" });
      expect(view.gaps).toHaveLength(1);
      expect(view.gaps[0].label).toBe(`${gap.dropped} events dropped (limit ${LIMIT})`);

      const w = await show(browser(), view, "long_race-gap");
      const canvas = w.page.locator(".chart canvas");
      expect(await canvas.getAttribute("data-gap-bands")).toBe("1");
      const line = (await w.page.locator('[data-gap="0"]').textContent()) ?? "";
      expect(line).toContain(view.gaps[0].label);
      expect(line).toContain("ACCESS");
      // Zoomed into the head, away from the gap, no band is drawn.
      await w.page.locator(".chart").focus();
      for (let i = 0; i < 8; i++) await w.page.keyboard.press("+");
      const [min, max] = ((await canvas.getAttribute("data-range")) ?? "").split(",").map(Number);
      const bands = await canvas.getAttribute("data-gap-bands");
      expect(bands).toBe(max < gap.fromMs || min > gap.toMs ? "0" : "1");
      expect(w.pageErrors).toEqual([]);
      await w.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
