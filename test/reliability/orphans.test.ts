// Issue 6, "leaves no process behind": when the launcher itself dies mid-run (VS Code or its extension
// host killed, the CLI killed with SIGKILL), the traced program must not run on forever in its own
// process group. The real CLI is killed once the script has printed; no process with the run's
// marker may be left (the tracer asks Linux for SIGTERM on its launcher's death: orphans.py).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { testPythons } from "../helpers/pythons";
import { leftBehind, marker, runCli } from "./run";

const all = testPythons();
const pythons = [all[0], all[all.length - 1]].map((p) => [p.version, p.executable] as const);

describe.each(pythons)("Python %s", (_version, python) => {
  it("a script that never ends is stopped when the CLI running it is killed", async () => {
    const mark = marker();
    const out = join(mkdtempSync(join(tmpdir(), "gil-orphans-")), "t.gtl");
    let killed = false;
    const ran = await runCli(python, ["--out", out], ["never_ends.py", mark], {
      onStdout: (text, signal) => {
        if (killed || !text.includes("running\n")) return;
        killed = true;
        signal("SIGKILL");
      },
    });
    expect(ran.signal).toBe("SIGKILL");
    expect(await leftBehind(mark)).toEqual([]);
  });
});
