// `npm start` (scripts/lab.mjs): serves code-server with the extension and examples/ on the given PORT,
// prints the URL, with the extension really installed there (a lab script gets its "Trace threads" lens),
// and on Ctrl+C (SIGINT) takes its whole process group down with it.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { closeWorkbench, freePort, openFile, openWorkbench, repoRoot, screenshot, waitFor } from "./harness";

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once("exit", resolve));
}

const serving = (url: string): Promise<boolean> => fetch(`${url}healthz`).then((r) => r.ok, () => false);

describe("npm start", () => {
  let lab: ChildProcess | undefined;

  // After a failure: Ctrl+C first, so the lab stops the code-server it started (its own process group);
  // SIGKILL only if the lab does not exit.
  afterAll(async () => {
    if (!lab?.pid || lab.exitCode !== null) return;
    const gone = exited(lab);
    lab.kill("SIGINT");
    const timer = setTimeout(() => process.kill(-lab!.pid!, "SIGKILL"), 15_000);
    await gone;
    clearTimeout(timer);
  });

  it("serves the lab on PORT with examples/ open and the extension in it, and stops cleanly on Ctrl+C", async () => {
    const port = await freePort();
    // Its own process group, like a terminal's foreground job, so afterAll can clean up after a failure.
    lab = spawn(process.execPath, [join(repoRoot, "scripts", "lab.mjs")], {
      cwd: repoRoot,
      env: { ...process.env, PORT: String(port) },
      detached: true,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    lab.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const url = await waitFor("the lab URL", () => output.match(/GIL Timeline lab: (http:\/\/127\.0\.0\.1:\d+\/)/)?.[1], {
      timeoutMs: 240_000,
    });
    expect(url).toBe(`http://127.0.0.1:${port}/`);

    const page = await openWorkbench(url);
    try {
      await page.locator(".explorer-folders-view .monaco-list-row").filter({ hasText: "03_counter_race.py" }).waitFor();
      // The extension is installed and active in the lab: the lab script's thread target has its lens.
      await openFile(page, "03_counter_race.py");
      await page.locator(".codelens-decoration a:visible").filter({ hasText: "Trace threads" }).first().waitFor({ timeout: 90_000 });
      await screenshot(page, "lab");
    } finally {
      await closeWorkbench(page);
    }

    lab.kill("SIGINT");
    expect(await exited(lab)).toBe(0);
    expect(await serving(url)).toBe(false);
  });
});
