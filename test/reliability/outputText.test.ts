// The editor's output path (src/run/outputText.ts, then the Output channel's append) on the real
// bytes of scripts/odd_bytes.py: invalid UTF-8, terminal escapes and a character split across
// two writes, however the pipe happens to cut the stream.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { OutputText } from "../../src/run/outputText";
import { runTracer } from "../../src/run/runTracer";
import { testPythons } from "../helpers/pythons";
import { SCRIPTS } from "./run";

function decodeInPieces(bytes: Buffer, cuts: number[]): string {
  const text = new OutputText();
  let out = "";
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    out += text.write(bytes.subarray(from, cut));
    from = cut;
  }
  return out + text.end();
}

describe("OutputText on a real traced run of odd_bytes.py", () => {
  it.each(testPythons().map((p) => [p.version, p.executable]))("Python %s", async (_v, python) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    const shown = { out: new OutputText(), err: new OutputText(), text: "" };
    const result = await runTracer({
      python,
      script: join(SCRIPTS, "odd_bytes.py"),
      out: join(mkdtempSync(join(tmpdir(), "gil-output-")), "t.gtl"),
      onStdout: (d) => (stdout.push(d), (shown.text += shown.out.write(d))),
      onStderr: (d) => (stderr.push(d), (shown.text += shown.err.write(d))),
    });
    expect(result.exitCode).toBe(0);
    const [out, err] = [Buffer.concat(stdout), Buffer.concat(stderr)];
    shown.text += shown.out.end() + shown.err.end();
    // What the channel gets: each stream decoded as a whole, nothing lost or added.
    expect(shown.text.length).toBe(out.toString("utf8").length + err.toString("utf8").length);
    const fromStdout = decodeInPieces(out, []);
    expect(fromStdout).toBe(out.toString("utf8"));
    expect(fromStdout).toContain("caf\u00e9 \ufffd\ufffd invalid");
    expect(fromStdout).toContain("\x1b[31mred\x1b[0m \x1b[2J\x1b[H \x1b]0;title\x07"); // kept, not acted on
    expect(fromStdout).toContain("nul\x00 cr\r\n");
    expect(fromStdout).toContain("split \u65e5 end\n");

    // Every place the pipe could cut the stream gives the same text; cutting a character apart
    // and decoding the pieces separately (what the extension did before) does not.
    for (let cut = 1; cut < out.length; cut++) expect(decodeInPieces(out, [cut])).toBe(fromStdout);
    const inside = out.indexOf(Buffer.from("\u65e5")) + 1;
    expect(out.subarray(0, inside).toString("utf8") + out.subarray(inside).toString("utf8")).not.toBe(fromStdout);
  });
});
