// The webview under load: a synthetic 1 M-event / 100 k-slice trace opened in headless Chromium.
// Measures the host's view build, time to first draw, and the redraw per zoom (wheel) and pan (keys).
// Bundled and run by bench/webview.mjs; prints figures, asserts nothing about wall time.
import { cpus, loadavg } from "node:os";
import { buildTimelineView } from "../src/panel/viewModel";
import type { Handoff, HandoffReason, SourceSite, ThreadInfo, ThreadTimeline, TraceModel } from "../src/trace/types";
import { buildBundle, launch, openWebview } from "../test/webview/harness/browser";

const WORKERS = 8;
const SLICES = 100_000;
const EVENTS = 1_000_000;
const SWITCH_MS = 5;

/** Deterministic pseudo-random numbers (mulberry32), so every run draws the same trace. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** CPU-bound workers taking turns: each slice 0.05-2x the switch interval, then a handoff. */
export function syntheticModel(): TraceModel {
  const random = rng(42);
  const sites: SourceSite[] = Array.from({ length: 40 }, (_, i) => ({ file: "/bench/work.py", line: 10 + i, function: "work" }));
  const cols = Array.from({ length: WORKERS }, () => ({ start: [] as number[], end: [] as number[], state: [] as number[], site: [] as number[] }));
  const handoffs: Handoff[] = [];
  const lastEnd = new Array<number>(WORKERS).fill(0);
  let t = 0;
  let holder = 0;
  for (let s = 0; s < SLICES; s++) {
    const c = cols[holder];
    if (t > lastEnd[holder]) {
      c.start.push(lastEnd[holder]);
      c.end.push(t);
      c.state.push(1);
      c.site.push(-1);
    }
    const len = SWITCH_MS * (0.05 + random() * 1.95);
    c.start.push(t);
    c.end.push(t + len);
    c.state.push(0);
    c.site.push(Math.floor(random() * sites.length));
    t += len;
    lastEnd[holder] = t;
    const next = (holder + 1 + Math.floor(random() * (WORKERS - 1))) % WORKERS;
    const reason: HandoffReason = random() < 0.9 ? "preempted" : "blocking";
    handoffs.push({ timeMs: t, pid: 1, from: `1:${holder + 1}`, to: `1:${next + 1}`, reason, site: sites[Math.floor(random() * sites.length)] });
    holder = next;
  }
  const timelines = new Map<string, ThreadTimeline>();
  const threads: ThreadInfo[] = cols.map((c, i) => {
    const id = `1:${i + 1}`;
    timelines.set(id, {
      start: Float64Array.from(c.start),
      end: Float64Array.from(c.end),
      state: Uint8Array.from(c.state),
      blockKind: new Uint8Array(c.state.length),
      site: Int32Array.from(c.site),
    });
    const sum = (state: number) => c.start.reduce((acc, s0, k) => (c.state[k] === state ? acc + c.end[k] - s0 : acc), 0);
    return {
      id, pid: 1, index: i + 1, nativeId: 100 + i, name: `worker-${i}`, target: sites[0], daemon: false, startMs: 0, endMs: t,
      runningMs: sum(0), waitingMs: sum(1), blockedMs: 0, slices: c.state.filter((s) => s === 0).length, exception: null,
    };
  });
  const byReason: Record<HandoffReason, number> = { blocking: 0, preempted: 0, threadExit: 0, threadStart: 0, lockWait: 0 };
  for (const h of handoffs) byReason[h.reason]++;
  return {
    processes: [{
      pid: 1, parentPid: null, script: "/bench/work.py", startMs: 0, endMs: t, exitCode: 0, threads: threads.map((x) => x.id),
      python: { executable: "python3", version: "3.12.1", implementation: "CPython", gilEnabled: true, freeThreaded: false, switchIntervalS: SWITCH_MS / 1000, mechanism: "sys.monitoring" },
      handoffs: { total: handoffs.length, byReason }, observedSwitchIntervalMs: SWITCH_MS,
    }],
    threads, timelines, handoffs, races: [], deadlocks: [], sites, durationMs: t, events: EVENTS, problem: null, warnings: [], gaps: [], dropped: 0,
  };
}

function stats(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(s.length * q))].toFixed(1);
  return `median ${at(0.5)} ms, p90 ${at(0.9)} ms, max ${at(1)} ms over ${s.length}`;
}

export async function main(): Promise<void> {
  buildBundle();
  const model = syntheticModel();
  let t0 = performance.now();
  const view = buildTimelineView(model, { title: "bench" });
  const buildMs = performance.now() - t0;
  const intervals = view.lanes.reduce((n, l) => n + l.intervals.start.length, 0);
  // Two shared cores: the load average says how much the figures below are other people's work.
  console.log(`load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} on ${cpus().length} cores`);
  console.log(`webview bench: ${model.events} events, ${SLICES} slices, ${intervals} intervals, ${view.handoffs.time.length} handoffs, ${(view.durationMs / 1000).toFixed(0)} s traced`);
  console.log(`  host: TraceModel -> TimelineView ${buildMs.toFixed(0)} ms, ${(JSON.stringify(view).length / 1e6).toFixed(1)} MB as JSON`);

  const browser = await launch();
  try {
    t0 = performance.now();
    const w = await openWebview(browser, "bench");
    console.log(`  page load to "ready": ${(performance.now() - t0).toFixed(0)} ms`);
    await w.page.evaluate((v) => ((window as unknown as { __view: unknown }).__view = v), view);
    // From the host's message arriving (structured clone included) to the chart painted.
    const firstDraw = await w.page.evaluate(
      () =>
        new Promise<number>((done) => {
          const start = performance.now();
          window.postMessage({ type: "model", view: (window as unknown as { __view: unknown }).__view }, "*");
          const check = () => (document.body.dataset.renders === "1" ? requestAnimationFrame(() => done(performance.now() - start)) : setTimeout(check, 0));
          check();
        }),
    );
    console.log(`  time to first draw: ${firstDraw.toFixed(0)} ms (target <= 1500 ms)`);
    // Real input through the real handlers: chartjs-plugin-zoom's wheel listener, the chart's key handler.
    const redraw = await w.page.evaluate(() => {
      const canvas = document.querySelector(".chart canvas") as HTMLCanvasElement;
      const chart = document.querySelector(".chart") as HTMLElement;
      const r = canvas.getBoundingClientRect();
      const timed = (fn: () => void) => {
        const s = performance.now();
        fn();
        return performance.now() - s;
      };
      const wheel = (dy: number) => canvas.dispatchEvent(new WheelEvent("wheel", { deltaY: dy, clientX: r.left + r.width * 0.6, clientY: r.top + r.height / 2, bubbles: true, cancelable: true }));
      const key = (k: string) => chart.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true }));
      const zoom: number[] = [];
      const pan: number[] = [];
      // Every zoom level from the whole run down to a few slices: a key zoom, a pan, a wheel in and out.
      for (let level = 0; level < 22; level++) {
        zoom.push(timed(() => key("+")));
        pan.push(timed(() => key(level % 2 ? "ArrowLeft" : "ArrowRight")));
        zoom.push(timed(() => wheel(-300)));
        zoom.push(timed(() => wheel(300)));
      }
      const range = document.querySelector("canvas.minimap")?.getAttribute("aria-valuetext") ?? "";
      return { zoom, pan, range };
    });
    console.log(`  redraw per zoom (keys and wheel, all levels): ${stats(redraw.zoom)} (target <= 50 ms)`);
    console.log(`  redraw per keyboard pan: ${stats(redraw.pan)} (target <= 50 ms)`);
    console.log(`  final view: ${redraw.range}`);
    if (process.env.GT_BENCH_DETAIL) console.log(redraw.zoom.map((z) => z.toFixed(0)).join(" "), "|", redraw.pan.map((z) => z.toFixed(0)).join(" "));
    if (w.pageErrors.length) console.log(`  page errors: ${w.pageErrors.join("; ")}`);
    await w.close();
  } finally {
    await browser.close();
  }
}
