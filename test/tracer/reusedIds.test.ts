// Location identity when CPython reuses id(): objects of two threads that never share one must
// not be taken for one location (which would report a race point that is not there).
import { describe, expect, it } from "vitest";
import { findRaces } from "../../src/trace/races";
import { lo32, Rec } from "../../src/trace/records";
import { testPythons } from "../helpers/pythons";
import { events, runTraced } from "./run";

const all = testPythons();
const LOC_ATTR = 3;
const LOC_ITEM = 4;

describe.each([all[0], all[all.length - 1]].map((p) => [p.version, p.executable] as const))("reused id(), Python %s", (_version, python) => {
  it("two threads' short-lived objects with reused ids: per-thread locations, no race point", async () => {
    // A short switch interval interleaves the threads, so one thread's freed memory is the other's next object.
    const { ran, store } = await runTraced(python, ["reused_object_ids.py"], { tracerArgs: ["--switch-interval", "0.0001"] });
    expect(ran.code, ran.stderr).toBe(0);
    const sharedIds = Number(ran.stdout);
    expect(sharedIds, "id() values both threads saw: the premise of the test").toBeGreaterThan(0);
    const table = store.processes[0];
    // The accesses were recorded (attributes of both classes, dict items), each location by one thread only.
    const threadsOf = new Map<number, Set<number>>();
    const names = new Set<string>();
    for (const e of events(store)) {
      if (e.kind !== Rec.ACCESS || e.thread === 0) continue;
      const loc = lo32(e.b);
      const def = table.locs[loc];
      if (!def || (def.kind !== LOC_ATTR && def.kind !== LOC_ITEM)) continue; // the global N: read by both, never written
      names.add(table.string(def.name));
      threadsOf.set(loc, (threadsOf.get(loc) ?? new Set()).add(e.thread));
    }
    expect([...names].sort()).toEqual(["bag['k']", "box.value", "slot.value"]);
    expect([...threadsOf.entries()].filter(([, t]) => t.size > 1)).toEqual([]);
    expect(findRaces(store)).toEqual([]);
  });
});
