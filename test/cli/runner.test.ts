// runTracer as the extension uses it: following the trace live, cancelling through an AbortSignal
// and ending the whole process group.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runTracer } from "../../src/run/runTracer";
import { buildModel } from "../../src/trace/model";
import { testPythons } from "../helpers/pythons";

const FIX = resolve(__dirname, "fixtures");

/**
 * Whether a process of group `pgid` is still alive. A zombie is not: it has ended and only waits to be
 * reaped by its parent (the syscall sampler forks away from the program, so init reaps it, in its own time).
 */
function groupAlive(pgid: number): boolean {
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, "utf8");
    } catch {
      continue; // ended meanwhile
    }
    // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so split after the last ")".
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (Number(pgrp) === pgid && state !== "Z") return true;
  }
  return false;
}

describe("runTracer", () => {
  it("follows the growing trace and cancels the whole process tree", async () => {
    const python = testPythons().at(-1)!.executable;
    const abort = new AbortController();
    const seen: number[] = [];
    let pid = 0;
    let liveThreads: string[] = [];
    const result = await runTracer({
      python,
      script: `${FIX}/forever.py`,
      out: join(mkdtempSync(join(tmpdir(), "gil-runner-")), "t.trace"),
      races: false,
      pollMs: 50,
      graceMs: 1000,
      signal: abort.signal,
      onProgress: ({ events, store, liveModel }) => {
        seen.push(events);
        pid = store.processes[0]?.pid ?? pid;
        liveThreads = liveModel().threads.map((t) => t.name);
        // Cancel once the live trace shows the spinner thread has run.
        if (events > 5) abort.abort();
      },
    });
    expect(result.cancelled).toBe(true);
    expect(result.timedOut).toBe(false);
    expect(result.exitCode === null || result.exitCode !== 0).toBe(true);
    expect(seen.length).toBeGreaterThan(1);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(result.model.threads.map((t) => t.name)).toContain("spinner");
    expect(liveThreads).toContain("spinner");
    // Folding chunk by chunk while the file grew gives the same model as one pass over the store.
    const whole = buildModel(result.store);
    expect(result.model.threads).toEqual(whole.threads);
    expect(result.model.handoffs).toEqual(whole.handoffs);
    expect(result.model.timelines).toEqual(whole.timelines);
    // The tracer's process group is gone (the traced program was its leader's child).
    await new Promise((r) => setTimeout(r, 1500));
    expect(pid).toBeGreaterThan(0);
    expect(groupAlive(pid)).toBe(false);
  });

  it("SIGKILLs a tree that ignores SIGTERM after the grace period and keeps the partial trace", async () => {
    const result = await runTracer({
      python: testPythons()[0].executable,
      script: `${FIX}/ignores_sigterm.py`,
      out: join(mkdtempSync(join(tmpdir(), "gil-runner-")), "t.trace"),
      races: false,
      timeoutS: 1.5,
      graceMs: 500,
    });
    expect(result.timedOut).toBe(true);
    expect(result.signal).toBe("SIGKILL");
    // The tracer flushes periodically, so what ran before the kill is there, without an end record.
    expect(result.model.threads.map((t) => t.name)).toContain("stubborn");
    expect(result.model.processes[0].endMs).toBeNull();
    expect(result.model.warnings.join("\n")).toMatch(/no end record/);
  });

  it("returns when the script exits even if a background child keeps its output open", async () => {
    const out: string[] = [];
    const result = await runTracer({
      python: testPythons().at(-1)!.executable,
      script: `${FIX}/leaves_child.py`,
      out: join(mkdtempSync(join(tmpdir(), "gil-runner-")), "t.trace"),
      races: false,
      graceMs: 500,
      onStdout: (d) => out.push(d.toString()),
    });
    expect(result.exitCode).toBe(0);
    expect(out.join("")).toBe("parent done\n");
    expect(result.model.processes[0].exitCode).toBe(0);
    process.kill(-result.model.processes[0].pid, "SIGKILL"); // the sleeper is still in the group
  }, 20_000); // without the fix this waits the sleeper's 60 s

  it("rejects a missing interpreter with its name", async () => {
    await expect(
      runTracer({ python: "/nonexistent/python3", script: `${FIX}/exit_code.py`, out: join(tmpdir(), "never.trace") }),
    ).rejects.toThrow(/nonexistent\/python3/);
  });
});
