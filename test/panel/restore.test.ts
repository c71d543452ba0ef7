// What panels persist for a window reload (src/protocol.ts PersistedState, src/panel/panelMemory.ts,
// src/panel/compareView.ts): the state read back, the host's copy keyed per panel, and a comparison
// rebuilt from its runs' real trace files giving the same table as the live one. The reload itself,
// in a real VS Code, is test/e2e/restore.e2e.ts.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as vscode from "vscode";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { buildCompareView, compareRunState, restoredCompareInput } from "../../src/panel/compareView";
import { MAX_ENTRIES, rememberPanel, restoredState, usePanelMemory } from "../../src/panel/panelMemory";
import { asPersistedState, type TimelineState } from "../../src/protocol";
import { runVariants } from "../../src/run/variants";
import { decodeTrace } from "../../src/trace/decode";
import { buildModel } from "../../src/trace/model";
import { testPythons } from "../helpers/pythons";

/** The workspace state as VS Code keeps it: JSON in, JSON out. */
class JsonMemento implements vscode.Memento {
  private readonly data = new Map<string, string>();
  keys(): readonly string[] {
    return [...this.data.keys()];
  }
  get<T>(key: string, defaultValue?: T): T {
    const raw = this.data.get(key);
    return raw === undefined ? (defaultValue as T) : (JSON.parse(raw) as T);
  }
  update(key: string, value: unknown): Thenable<void> {
    this.data.set(key, JSON.stringify(value));
    return Promise.resolve();
  }
}

const timeline = (id: string, title: string, tracePath: string | null, filterThreads: string[] | null = null, script: string | null = null): TimelineState => ({
  kind: "timeline", id, title, tracePath, filterThreads, script,
});

describe("persisted state read back", () => {
  it("reads a timeline's trace and lens filter, and state saved before ids and filters as unfiltered", () => {
    expect(asPersistedState(timeline("a", "GIL Timeline: worker", "/t/2.trace", ["1:1", "1:2"]))).toEqual(timeline("a", "GIL Timeline: worker", "/t/2.trace", ["1:1", "1:2"]));
    expect(asPersistedState(timeline("b", "GIL Timeline: a.py", "/t/a-2.trace", null, "/w/a.py"))).toEqual(timeline("b", "GIL Timeline: a.py", "/t/a-2.trace", null, "/w/a.py"));
    expect(asPersistedState({ title: "x", tracePath: "/t/run.trace" })).toEqual(timeline("", "x", "/t/run.trace"));
    expect(asPersistedState({ kind: "timeline", id: "a", title: "x", filterThreads: [1, 2] })).toEqual(timeline("a", "x", null));
  });

  it("reads a comparison's runs, and refuses one with a malformed run or fewer than two", () => {
    const run = { label: "1 ms", tracePath: "/t/c-1.trace", exitCode: 0, output: "4", status: { state: "done" }, python: { executable: "/py", version: "3.12.3" } };
    const compare = { kind: "compare", id: "c", title: "GIL Timeline: compare a.py", runs: [run, { ...run, label: "20 ms", tracePath: "/t/c-2.trace" }] };
    expect(asPersistedState(JSON.parse(JSON.stringify(compare)))).toEqual(compare);
    expect(asPersistedState({ ...compare, runs: [run] })).toBeNull();
    expect(asPersistedState({ ...compare, runs: [run, { label: "no trace" }] })).toBeNull();
    expect(asPersistedState({ kind: "something else", title: "x" })).toBeNull();
    expect(asPersistedState(undefined)).toBeNull();
  });
});

describe("the host's copy (panelMemory)", () => {
  let memento: JsonMemento;
  beforeEach(() => {
    memento = new JsonMemento();
    usePanelMemory(memento);
  });
  /** A window reload: a new extension host over the same workspace state. */
  const reload = () => usePanelMemory(memento);

  it("keeps two panels of one title apart (two scripts' `worker` lens) and follows a panel's changes", () => {
    rememberPanel(timeline("p1", "GIL Timeline: worker", "/t/a-1.trace", ["1:1"]));
    rememberPanel(timeline("p2", "GIL Timeline: worker", "/t/b-1.trace", ["1:2"]));
    rememberPanel(timeline("p1", "GIL Timeline: worker", "/t/a-2.trace", ["1:1"])); // p1's script ran again
    reload();
    // The webview's own state names its panel; the host's copy of that panel is newer.
    expect(restoredState("timeline", "GIL Timeline: worker", timeline("p1", "GIL Timeline: worker", "/t/a-1.trace", ["1:1"])))
      .toEqual(timeline("p1", "GIL Timeline: worker", "/t/a-2.trace", ["1:1"]));
    expect(restoredState("timeline", "GIL Timeline: worker", timeline("p2", "GIL Timeline: worker", "/t/b-1.trace", ["1:2"])))
      .toEqual(timeline("p2", "GIL Timeline: worker", "/t/b-1.trace", ["1:2"]));
  });

  it("without the webview's state, takes the newest entry of that title no panel of the window owns", () => {
    rememberPanel(timeline("p1", "GIL Timeline: a.py", "/t/a-1.trace"));
    rememberPanel(timeline("p2", "GIL Timeline: a.py", "/t/a-2.trace"));
    reload();
    expect(restoredState("timeline", "GIL Timeline: a.py", null)?.id).toBe("p2");
    expect(restoredState("timeline", "GIL Timeline: a.py", null)?.id).toBe("p1");
    expect(restoredState("timeline", "GIL Timeline: a.py", null)).toBeNull();
    expect(restoredState("compare", "GIL Timeline: a.py", null)).toBeNull();
  });

  it("state saved before panels had ids is used as it is", () => {
    rememberPanel(timeline("p1", "x", "/t/new.trace"));
    reload();
    expect(restoredState("timeline", "x", timeline("", "x", "/t/old.trace"))).toEqual(timeline("", "x", "/t/old.trace"));
  });

  it(`keeps the newest ${MAX_ENTRIES} panels`, () => {
    for (let i = 0; i <= MAX_ENTRIES; i++) rememberPanel(timeline(`p${i}`, `t${i}`, `/t/${i}.trace`));
    reload();
    expect(restoredState("timeline", "t0", null)).toBeNull();
    expect(restoredState("timeline", "t1", null)).toEqual(timeline("p1", "t1", "/t/1.trace"));
  });
});

describe("a comparison rebuilt from its runs' trace files", () => {
  const dir = mkdtempSync(join(tmpdir(), "gil-restore-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const pythons = testPythons();
  const python = pythons[pythons.length - 1];

  it(`gives the table and timelines of the live comparison (CPython ${python.version})`, async () => {
    const script = join(dir, "two_threads.py");
    writeFileSync(script, [
      "import threading",
      "def work(n):",
      "    s = 0",
      "    for i in range(n):",
      "        s += i",
      "ts = [threading.Thread(target=work, args=(200_000,)) for _ in range(2)]",
      "for t in ts: t.start()",
      "for t in ts: t.join()",
      "print('done', len(ts))",
      "",
    ].join("\n"));
    const tracePath = (i: number) => join(dir, `run-${i}.trace`);
    const runs = await runVariants({
      script, cwd: dir, defaultPython: python.executable, timeoutS: 120, tracePath,
      variants: [{ label: "switch interval 1 ms", switchIntervalS: 0.001 }, { label: "switch interval 20 ms", switchIntervalS: 0.02 }],
    });
    const inputs = runs.map((r) => ({ ...r, status: { state: "done" as const, exitCode: r.result.exitCode } }));
    const live = buildCompareView("GIL Timeline: compare two_threads.py", inputs);
    const saved = asPersistedState(JSON.parse(JSON.stringify({
      kind: "compare", id: "c", title: live.title, runs: inputs.map((input, i) => compareRunState(input, tracePath(i))),
    })));
    if (saved?.kind !== "compare") throw new Error(`not read back as a comparison: ${JSON.stringify(saved)}`);
    const restored = buildCompareView(saved.title, saved.runs.map((run) => restoredCompareInput(run, buildModel(decodeTrace(new Uint8Array(readFileSync(run.tracePath)))))));
    expect(restored.rows.find((r) => r.key === "output")?.values).toEqual(["done 2", "done 2"]);
    expect(restored.rows.find((r) => r.key === "switchIntervalMs")?.values).toEqual(["1 ms", "20 ms"]);
    expect(restored).toEqual(live);
  });
});
