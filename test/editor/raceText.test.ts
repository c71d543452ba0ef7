// What the editor says about a race point: message, hover, lines per file.
import { describe, expect, it } from "vitest";
import { raceHoverMarkdown, raceLinesByFile, raceMessage } from "../../src/editor/raceText";
import type { RacePoint, TraceModel } from "../../src/trace/types";

const race: RacePoint = {
  variable: "counter", kind: "lost-update", count: 12, possibleUntraced: false,
  explanation: "safe by accident on 3.12: no switch point between LOAD_GLOBAL and STORE_GLOBAL",
  accesses: [
    { thread: "1:1", op: "read", instruction: "LOAD_GLOBAL", file: "/w/a.py", line: 24, timeMs: 1 },
    { thread: "1:2", op: "write", instruction: "STORE_GLOBAL", file: "/w/a.py", line: 24, timeMs: 2 },
    { thread: "1:2", op: "write", instruction: "STORE_GLOBAL", file: "/w/b.py", line: 3, timeMs: 3 },
    { thread: "1:1", op: "read", instruction: "LOAD_GLOBAL", file: "/w/a.py", line: 22, timeMs: 4 },
  ],
  interleaving: [
    { thread: "1:1", instruction: "LOAD_GLOBAL", variable: "counter", file: "/w/a.py", line: 24, timeMs: 1 },
    { thread: "1:2", instruction: "STORE_GLOBAL", variable: "counter", file: "/w/a.py", line: 24, timeMs: 2 },
    { thread: "1:1", instruction: "STORE_GLOBAL", variable: "counter", file: "/w/a.py", line: 24, timeMs: 3, note: "lost update" },
  ],
  fix: "guard line 24 with `with counter_lock:`",
};

const model = {
  processes: [{ python: { implementation: "cpython", version: "3.12.1" } }],
  threads: [{ id: "1:1", name: "inc-0" }, { id: "1:2", name: "worker-long" }],
} as unknown as TraceModel; // only the fields the hover reads

describe("race text", () => {
  it("lists each file's racing lines once, in order", () => {
    expect([...raceLinesByFile(race)]).toEqual([["/w/a.py", [22, 24]], ["/w/b.py", [3]]]);
  });

  it("says what raced, how often, and whether it can happen untraced", () => {
    expect(raceMessage(race)).toBe(
      "Race on `counter`: lost update (12×) between 2 threads; seen only because tracing adds switch points; still unsafe.",
    );
    expect(raceMessage({ ...race, kind: "unsynchronized", possibleUntraced: true, count: 1 })).toBe(
      "Race on `counter`: unsynchronized access (1×) between 2 threads; can happen without the tracer on this interpreter.",
    );
  });

  it("shows the interleaving with thread names, the verdict for the interpreter, and the fix", () => {
    expect(raceHoverMarkdown(race, model).split("\n")).toEqual([
      "**GIL Timeline: race on `counter`** (lost update, 12×)",
      "",
      "```text",
      "inc-0        line 24   LOAD_GLOBAL counter",
      "worker-long  line 24   STORE_GLOBAL counter",
      "inc-0        line 24   STORE_GLOBAL counter   <- lost update",
      "```",
      "",
      "Can this happen without the tracer on CPython 3.12.1? **not at this spot**.",
      "",
      "safe by accident on 3.12: no switch point between LOAD\\_GLOBAL and STORE\\_GLOBAL",
      "",
      "Fix: guard line 24 with `with counter_lock:`",
    ]);
  });

  it("puts a step's short stack under it, innermost caller first", () => {
    const stack = [
      { file: "/w/a.py", line: 30, function: "bump_twice" },
      { file: "/w/main.py", line: 7, function: "worker" },
    ];
    const [first, ...rest] = race.interleaving;
    const lines = raceHoverMarkdown({ ...race, interleaving: [{ ...first, stack }, ...rest] }, model).split("\n");
    expect(lines.slice(3, 6)).toEqual([
      "inc-0        line 24   LOAD_GLOBAL counter",
      "             called from bump_twice (a.py:30) < worker (main.py:7)",
      "worker-long  line 24   STORE_GLOBAL counter",
    ]);
  });

  // A thread, variable or function name is whatever the traced program made it. In a fence of three
  // backticks a name holding ``` closed the block early and the rest of it was read as Markdown.
  const evilName = "t\n```\n[Click to update](https://evil.example/x)\n```";
  const evilModel = { ...model, threads: [{ id: "1:1", name: evilName }, { id: "1:2", name: "w```````x" }] } as unknown as TraceModel;

  /** Lines outside fenced code blocks, with CommonMark's fence rules (a closing fence is at least as long as the opening). */
  function outsideFences(markdown: string): string[] {
    const out: string[] = [];
    let open = 0;
    for (const line of markdown.split("\n")) {
      const fence = /^ {0,3}(`{3,})([^`]*)$/.exec(line);
      if (open === 0 && fence) open = fence[1].length;
      else if (open > 0 && fence && fence[1].length >= open && fence[2].trim() === "") open = 0;
      else if (open === 0) out.push(line);
    }
    expect(open, "a fence is left open").toBe(0);
    return out;
  }

  it("keeps a thread name holding a code fence and a link inside the hover's code block", () => {
    const md = raceHoverMarkdown(race, evilModel);
    const outside = outsideFences(md).join("\n");
    expect(outside).not.toContain("evil.example");
    expect(outside).not.toContain("```");
    // Each step is still one line of the block, the name shown whole.
    expect(md).toContain("t ``` [Click to update](https://evil.example/x) ```  line 24   LOAD_GLOBAL counter");
  });

  it("escapes program-made names outside the code block", () => {
    const hostile: RacePoint = {
      ...race,
      variable: "a`b",
      interleaving: [],
      explanation: "from [Click](https://evil.example/y) in `f``[x](https://evil.example/z)`",
      fix: "guard line 3 in `ev`il`",
    };
    const md = raceHoverMarkdown(hostile, model);
    const outside = outsideFences(md);
    expect(outside[0]).toBe("**GIL Timeline: race on ``a`b``** (lost update, 12×)");
    // Text is escaped, names become code spans: no unescaped [text](url) is left to read as a link.
    for (const line of outside) expect(line.replace(/(`+).*?\1/g, "")).not.toMatch(/(^|[^\\])\[[^\]]*[^\\]\]\(/);
    expect(md).toContain("from \\[Click\\]\\(https://evil.example/y\\) in `f`");
  });
});
