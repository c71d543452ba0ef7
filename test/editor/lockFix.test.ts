// The race quick fix as text: source + racing lines -> the guarded source.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { applyLineEdits, lockBaseName, lockFix, racingBlocks } from "../../src/editor/lockFix";

const EXAMPLES = resolve(__dirname, "../../examples");

function fixed(source: string, variable: string, lines: number[]): string {
  const fix = lockFix(source, variable, lines);
  if (!fix) throw new Error("no fix");
  return applyLineEdits(source, fix.edits);
}

describe("lockFix", () => {
  it("wraps `counter += 1` of lab 03 and adds a module-level lock after the imports", () => {
    const source = readFileSync(resolve(EXAMPLES, "03_counter_race.py"), "utf8");
    const lines = source.split("\n");
    const racing = lines.findIndex((l) => l.trim() === "counter += 1") + 1;
    const fix = lockFix(source, "counter", [racing, racing]);
    expect(fix?.lock).toBe("counter_lock");
    expect(fix?.title).toBe(`Guard line ${racing} with \`with counter_lock:\``);
    const out = applyLineEdits(source, fix?.edits ?? []).split("\n");
    const importLine = out.indexOf("import threading");
    expect(out.slice(importLine, importLine + 3)).toEqual(["import threading", "", "counter_lock = threading.Lock()"]);
    const w = out.indexOf("        with counter_lock:");
    expect(out.slice(w - 1, w + 2)).toEqual(["    for _ in range(N):", "        with counter_lock:", "            counter += 1"]);
    expect(out.filter((l) => l === "import threading")).toHaveLength(1);
  });

  it("wraps the whole read-sleep-write of lab 04 as one block", () => {
    const source = readFileSync(resolve(EXAMPLES, "04_counter_sleep_race.py"), "utf8");
    const lines = source.split("\n");
    const read = lines.findIndex((l) => l.trim() === "tmp = counter") + 1;
    const write = lines.findIndex((l) => l.trim() === "counter = tmp + 1") + 1;
    const out = fixed(source, "counter", [read, write]).split("\n");
    const w = out.indexOf("        with counter_lock:");
    expect(out.slice(w, w + 4)).toEqual([
      "        with counter_lock:",
      "            tmp = counter",
      "            time.sleep(0)",
      "            counter = tmp + 1",
    ]);
  });

  it("reuses a lock the file already has for the variable and its import spelling", () => {
    const source = [
      "from threading import Thread, Lock",
      "balance_guard_lock = Lock()",
      "class Account:",
      "    def deposit(self, n):",
      "        self.balance += n",
      "",
    ].join("\n");
    const fix = lockFix(source, "self.balance", [5]);
    expect(fix?.lock).toBe("balance_guard_lock");
    expect(applyLineEdits(source, fix?.edits ?? [])).toBe([
      "from threading import Thread, Lock",
      "balance_guard_lock = Lock()",
      "class Account:",
      "    def deposit(self, n):",
      "        with balance_guard_lock:",
      "            self.balance += n",
      "",
    ].join("\n"));
  });

  it("uses an aliased threading import and adds `import threading` only when missing", () => {
    const aliased = "import threading as th\ncounts = {}\ndef add(w):\n    counts[w] = counts.get(w, 0) + 1\n";
    expect(fixed(aliased, "counts[w]", [4])).toBe(
      "import threading as th\n\ncounts_lock = th.Lock()\ncounts = {}\ndef add(w):\n    with counts_lock:\n        counts[w] = counts.get(w, 0) + 1\n",
    );
    const bare = '"""Doc\nstring."""\nfrom __future__ import annotations\nhits = 0\ndef f():\n\tglobal hits\n\thits += 1\n';
    expect(fixed(bare, "hits", [7])).toBe(
      '"""Doc\nstring."""\nfrom __future__ import annotations\nimport threading\n\nhits_lock = threading.Lock()\nhits = 0\ndef f():\n\tglobal hits\n\twith hits_lock:\n\t\thits += 1\n',
    );
    expect(fixed("x = 0\ndef f():\n    global x\n    x += 1\n", "x", [4])).toBe(
      "import threading\n\nx_lock = threading.Lock()\nx = 0\ndef f():\n    global x\n    with x_lock:\n        x += 1\n",
    );
  });

  it("guards racing lines in different functions separately, with one lock, keeping CRLF", () => {
    const source = "import threading\r\nn = 0\r\ndef a():\r\n    global n\r\n    n = n + 1\r\ndef b():\r\n    print(\r\n        n)\r\n";
    const fix = lockFix(source, "n", [5, 7]);
    expect(fix?.title).toBe("Guard lines 5, 7-8 with `with n_lock:`");
    expect(applyLineEdits(source, fix?.edits ?? [])).toBe(
      "import threading\r\n\r\nn_lock = threading.Lock()\r\nn = 0\r\ndef a():\r\n    global n\r\n    with n_lock:\r\n        n = n + 1\r\ndef b():\r\n    with n_lock:\r\n        print(\r\n            n)\r\n",
    );
  });

  it("picks a free lock name and refuses lines already guarded", () => {
    expect(lockFix("counter_lock = 1\ncounter = 0\ncounter += 1\n", "counter", [3])?.lock).toBe("counter_lock2");
    expect(lockFix("import threading\ncounter_lock = threading.Lock()\nwith counter_lock:\n    counter += 1\n", "counter", [4])).toBeNull();
    expect(lockFix("x = 1\n", "x", [99])).toBeNull();
  });
});

describe("helpers", () => {
  it("names locks after the variable", () => {
    expect(["counter", "self.balance", "counts[word]", "Stats.hits", "self._items[i]", "hits in make_counter"].map(lockBaseName)).toEqual([
      "counter", "balance", "counts", "hits", "_items", "hits",
    ]);
  });

  it("groups racing lines into blocks of one suite", () => {
    const lines = ["def f():", "    a = x", "    # note", "    x = a + 1", "def g():", "    x = 2"];
    expect(racingBlocks(lines, [3, 1, 5, 1])).toEqual([[1, 3], [5, 5]]);
  });
});
