// Issue 5: the cross-process race (lab 07, `value.value += 1` from four processes) is a race point
// and its locked twin (lab 08, `with value.get_lock():`) is not, whatever start method created the
// processes: fork, spawn and forkserver, on the oldest and newest CPython. The labs run unchanged
// except for one line that picks the start method.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { testPythons } from "../helpers/pythons";
import { EXAMPLES, traceScript } from "./traceRun";

const all = testPythons();
const pythons = [all[0], all[all.length - 1]];
const METHODS = ["fork", "spawn", "forkserver"] as const;
const dir = mkdtempSync(join(tmpdir(), "gil-process-races-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The lab with `multiprocessing.set_start_method(method)` before its main() runs. */
function labWith(lab: string, method: string): string {
  const source = readFileSync(join(EXAMPLES, lab), "utf8");
  const call = '\nif __name__ == "__main__":\n    main()\n';
  if (!source.endsWith(call)) throw new Error(`${lab} no longer ends with the main() call this test patches`);
  const out = join(dir, `${method}_${lab}`);
  writeFileSync(out, source.slice(0, -call.length) + `\nif __name__ == "__main__":\n    multiprocessing.set_start_method("${method}")\n    main()\n`);
  return out;
}

const cases = pythons.flatMap((p) => METHODS.map((m) => [p.version, m, p.executable] as const));

describe.each(cases)("shared-memory race across processes, Python %s, %s", (_version, method, python) => {
  it("lab 07 (Value without its lock): a race point on value.value between child processes", async () => {
    const r = await traceScript(python, labWith("07_process_value_race.py", method));
    expect(r.exitCode).toBe(0);
    const [parent, ...children] = r.model.processes;
    expect(children).toHaveLength(4);
    for (const c of children) expect(c.parentPid).toBe(parent.pid);
    const race = r.model.races.find((x) => x.variable === "value.value");
    expect(race, JSON.stringify(r.model.races.map((x) => x.variable))).toBeDefined();
    const pids = new Set(race!.accesses.map((a) => Number(a.thread.split(":")[0])));
    expect(pids.size).toBeGreaterThanOrEqual(2);
    for (const pid of pids) expect(children.some((c) => c.pid === pid)).toBe(true);
  }, 120_000);

  it("lab 08 (the same under value.get_lock()): no race point", async () => {
    const r = await traceScript(python, labWith("08_process_value_locked.py", method));
    expect(r.exitCode).toBe(0);
    expect(r.model.processes).toHaveLength(5);
    expect(r.model.races).toEqual([]);
  }, 120_000);
});
