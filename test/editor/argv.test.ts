// Splitting "Trace Current File with Arguments…" input into an argument array.
import { describe, expect, it } from "vitest";
import { splitArgs } from "../../src/commands/argv";

describe("splitArgs", () => {
  it("splits words like a POSIX shell, without running one", () => {
    expect(splitArgs("  --n 4  data.txt ")).toEqual(["--n", "4", "data.txt"]);
    expect(splitArgs(`'a b' "c \\"d\\"" e\\ f "" ''`)).toEqual(["a b", 'c "d"', "e f", "", ""]);
    expect(splitArgs(`$(rm -rf x); echo "it's"`)).toEqual(["$(rm", "-rf", "x);", "echo", "it's"]);
    expect(splitArgs("héllo 名前")).toEqual(["héllo", "名前"]);
    expect(splitArgs("")).toEqual([]);
  });

  it("rejects an unclosed quote", () => {
    expect(() => splitArgs(`"open`)).toThrow('unclosed " quote');
  });
});
