// CPU-bound threads on real traces: preemption handoffs at about the switch interval. Slow
// (a traced CPU-bound loop), so on the oldest and the newest CPython found.
import { describe, expect, it } from "vitest";
import { testPythons } from "../helpers/pythons";
import { EXAMPLES, traceScript } from "./traceRun";

const all = testPythons();
const ends = [all[0], all[all.length - 1]];
const SCRIPT = `${EXAMPLES}/02_cpu_bound_threads.py`;

describe.each(ends.map((p) => [p.version, p.executable]))("CPU-bound threads on CPython %s", (_version, python) => {
  it("hand off by preemption about every switch interval", async () => {
    const r = await traceScript(python, SCRIPT, { races: false });
    expect(r.exitCode).toBe(0);
    const p = r.model.processes[0];
    expect(p.python.switchIntervalS).toBe(0.005);
    expect(p.handoffs.byReason.preempted).toBeGreaterThan(10);
    // Order of magnitude only: a loaded 2-core machine stretches slices.
    expect(p.observedSwitchIntervalMs).toBeGreaterThan(0.5);
    expect(p.observedSwitchIntervalMs).toBeLessThan(50);
    const cpu = r.model.threads.filter((t) => t.name.startsWith("cpu-"));
    expect(cpu).toHaveLength(4);
    for (const t of cpu) {
      expect(t.slices).toBeGreaterThan(1);
      expect(t.waitingMs).toBeGreaterThan(0);
    }
  });
});

describe("the switch interval setting", () => {
  it("changes how often CPU-bound threads are preempted", async () => {
    const python = all[all.length - 1].executable;
    const fast = await traceScript(python, SCRIPT, { races: false, switchInterval: 0.001 });
    const slow = await traceScript(python, SCRIPT, { races: false, switchInterval: 0.02 });
    expect(fast.model.processes[0].python.switchIntervalS).toBe(0.001);
    expect(slow.model.processes[0].python.switchIntervalS).toBe(0.02);
    const nFast = fast.model.processes[0].handoffs.byReason.preempted;
    const nSlow = slow.model.processes[0].handoffs.byReason.preempted;
    // 20 times the interval; under load a waiting thread asks for the GIL late, so expect only a clear difference.
    expect(nFast).toBeGreaterThan(2 * nSlow);
    expect(fast.model.processes[0].observedSwitchIntervalMs!).toBeLessThan(slow.model.processes[0].observedSwitchIntervalMs!);
  });
});
