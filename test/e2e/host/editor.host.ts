// In-host tests of the editor features, inside code-server's extension host with the real vscode API:
// commands, code lenses (vscode.executeCodeLensProvider), real traced runs, race diagnostics, the
// quick fix and re-run, a syntax error, Stop Tracing and the timeout on a script that never ends.
// The workspace is a copy of examples/ plus never_ends.py, syntax_error.py and more (host/workspaces.mjs).
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { findInterpreter } from "../../../src/commands/interpreter";
import type { TraceResult } from "../../../src/commands/traceStore";
import type { GilTimelineApi } from "../../../src/extension";
import { suite, test } from "../host-runner/src/api";

const EXTENSION_ID = "gil-timeline.gil-timeline";
const RUN = { timeoutMs: 150_000 };

function api(): GilTimelineApi {
  const ext = vscode.extensions.getExtension<GilTimelineApi>(EXTENSION_ID);
  assert.ok(ext?.isActive, "the extension is not active");
  return ext.exports;
}

function file(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, "no workspace folder");
  return vscode.Uri.joinPath(folder.uri, name);
}

/** 0-based line of the first line whose trimmed text is `text`. */
async function lineOf(uri: vscode.Uri, text: string): Promise<number> {
  const doc = await vscode.workspace.openTextDocument(uri);
  for (let i = 0; i < doc.lineCount; i++) if (doc.lineAt(i).text.trim() === text) return i;
  throw new Error(`${text} not in ${uri.fsPath}`);
}

async function ourLenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>("vscode.executeCodeLensProvider", uri)) ?? [];
  return lenses.filter((l) => l.command?.command.startsWith("gilTimeline."));
}

function raceDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === "GIL Timeline");
}

async function trace(uri: vscode.Uri): Promise<TraceResult> {
  const result = await vscode.commands.executeCommand<TraceResult | undefined>("gilTimeline.traceFile", uri);
  assert.ok(result, `tracing ${uri.fsPath} did not run`);
  return result;
}

async function until(what: string, probe: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

suite("editor", () => {
  test("activates and registers its commands", async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)?.activate();
    const all = await vscode.commands.getCommands(true);
    for (const id of ["traceFile", "traceFileWithArgs", "stopTracing", "openTraceFile", "showTimeline"]) {
      assert.ok(all.includes(`gilTimeline.${id}`), `gilTimeline.${id} is not registered`);
    }
  });

  test("code lenses mark the thread target and the Thread() call before a run", async () => {
    const uri = file("03_counter_race.py");
    const def = await lineOf(uri, "def increment():");
    const lenses = await ourLenses(uri);
    const lines = lenses.map((l) => l.range.start.line).sort((a, b) => a - b);
    assert.equal(lines[0], def, `no lens on def increment (lenses on ${lines.join(", ")})`);
    assert.equal(lenses.length, 2, `expected lenses on the def and the Thread() call, got ${lines.join(", ")}`);
    for (const l of lenses) assert.equal(l.command?.title, "Trace threads");
    assert.ok(lenses.every((l) => l.command?.command === "gilTimeline.traceFile"));
  });

  test("a traced run fills the lenses with the target's figures", async () => {
    const uri = file("02_cpu_bound_threads.py");
    const result = await trace(uri);
    assert.equal(result.status.state, "done", result.status.message);
    const workers = result.model.threads.filter((t) => t.index > 0);
    assert.ok(workers.length >= 2, `only ${workers.length} worker threads in the trace`);
    const titles = (await ourLenses(uri)).map((l) => l.command?.title ?? "");
    const figures = titles.filter((t) => /^\d+ threads? · [\d.]+% of GIL time( each)? · [\d,]+ handoffs?/.test(t));
    assert.ok(figures.length > 0, `no lens shows figures: ${JSON.stringify(titles)}`);
    assert.ok(figures[0].startsWith(`${workers.length} threads`), figures[0]);
  }, RUN);

  test("a race becomes a warning on its lines, with a hover and a quick fix that removes it on re-run", async () => {
    const uri = file("04_counter_sleep_race.py");
    const read = await lineOf(uri, "tmp = counter");
    const write = await lineOf(uri, "counter = tmp + 1");
    const first = await trace(uri);
    assert.ok(first.model.races.length > 0, "no race point in the trace of 04_counter_sleep_race.py");
    const diagnostics = raceDiagnostics(uri);
    const lines = diagnostics.map((d) => d.range.start.line);
    assert.ok(lines.includes(read) && lines.includes(write), `race diagnostics on lines ${lines.join(", ")}`);
    assert.ok(diagnostics.every((d) => d.severity === vscode.DiagnosticSeverity.Warning));
    assert.match(diagnostics[0].message, /Race on `counter`/);

    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>("vscode.executeHoverProvider", uri, new vscode.Position(write, 10));
    const hoverText = hovers.flatMap((h) => h.contents.map((c) => (typeof c === "string" ? c : c.value))).join("\n");
    assert.match(hoverText, /race on `counter`/);
    assert.match(hoverText, /Can this happen without the tracer on CPython 3\.\d+/);

    const range = diagnostics.find((d) => d.range.start.line === write)?.range;
    assert.ok(range);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>("vscode.executeCodeActionProvider", uri, range);
    const fix = actions.find((a) => a.title.startsWith("Guard lines") && a.edit);
    assert.ok(fix?.edit, `no lock quick fix among ${actions.map((a) => a.title).join(" | ")}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.match(doc.getText(), /counter_lock = threading\.Lock\(\)/);
    assert.equal(raceDiagnostics(uri).length, 0, "editing the file did not clear its race diagnostics");
    await doc.save();

    const second = await trace(uri);
    assert.equal(second.status.state, "done", second.status.message);
    assert.equal(second.model.races.filter((r) => r.variable === "counter").length, 0, "the race is still there after the fix");
    assert.equal(raceDiagnostics(uri).length, 0);
  }, { timeoutMs: 240_000 });

  test("arguments reach the script, which runs in its own folder", async () => {
    const uri = file("show_args.py");
    const result = await vscode.commands.executeCommand<TraceResult | undefined>(
      "gilTimeline.traceFileWithArgs", uri, ["two words", "--n=3", "$(not a shell)"],
    );
    assert.equal(result?.status.state, "done", result?.status.message);
    const written = await vscode.workspace.fs.readFile(file("args.json"));
    assert.deepEqual(JSON.parse(Buffer.from(written).toString("utf8")), ["two words", "--n=3", "$(not a shell)"]);
  }, RUN);

  test("unsaved changes are saved before the run, so the run sees them", async () => {
    const uri = file("show_args.py");
    const editor = await vscode.window.showTextDocument(uri);
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), "import sys; sys.argv.append('edited')\n"));
    assert.ok(editor.document.isDirty);
    const result = await trace(uri);
    assert.equal(result.status.state, "done", result.status.message);
    const written = await vscode.workspace.fs.readFile(file("args.json"));
    assert.deepEqual(JSON.parse(Buffer.from(written).toString("utf8")), ["edited"]);
    // The dirty flag reaches the extension host by its own message, after the save itself.
    await until("the editor shows the file saved", () => !editor.document.isDirty, 10_000);
  }, RUN);

  test("a saved trace opens again, with the same threads", async () => {
    const first = await trace(file("01_sleeping_threads.py"));
    const reopened = await vscode.commands.executeCommand<TraceResult | undefined>(
      "gilTimeline.openTraceFile", vscode.Uri.file(first.tracePath),
    );
    assert.ok(reopened);
    assert.deepEqual(reopened.model.threads.map((t) => t.name), first.model.threads.map((t) => t.name));
    assert.equal(reopened.model.handoffs.length, first.model.handoffs.length);
    await vscode.commands.executeCommand("gilTimeline.showTimeline");
  }, RUN);

  test("with gilTimeline.output = terminal the script's output goes to a terminal", async () => {
    const config = vscode.workspace.getConfiguration("gilTimeline");
    await config.update("output", "terminal", vscode.ConfigurationTarget.Workspace);
    try {
      const result = await trace(file("01_sleeping_threads.py"));
      assert.equal(result.status.state, "done");
      assert.ok(vscode.window.terminals.some((t) => t.name === "GIL Timeline: 01_sleeping_threads.py"));
      // What the user types in that terminal reaches the script's stdin.
      const run = vscode.commands.executeCommand<TraceResult | undefined>("gilTimeline.traceFile", file("echo_input.py"));
      await until("the terminal", () => vscode.window.terminals.some((t) => t.name === "GIL Timeline: echo_input.py"));
      vscode.window.terminals.filter((t) => t.name === "GIL Timeline: echo_input.py").pop()?.sendText("typed here", true);
      const echoed = await run;
      assert.equal(echoed?.status.state, "done", echoed?.status.message);
      const written = await vscode.workspace.fs.readFile(file("input.txt"));
      assert.equal(Buffer.from(written).toString("utf8"), "typed here");
    } finally {
      await config.update("output", undefined, vscode.ConfigurationTarget.Workspace);
    }
  }, RUN);

  test("an interpreter that does not run is refused before anything starts", async () => {
    const config = vscode.workspace.getConfiguration("gilTimeline");
    const before = api().store.all().length;
    await config.update("pythonPath", "/nonexistent/python3", vscode.ConfigurationTarget.Workspace);
    try {
      const result = await vscode.commands.executeCommand("gilTimeline.traceFile", file("01_sleeping_threads.py"));
      assert.equal(result, undefined);
      assert.equal(api().store.all().length, before);
    } finally {
      await config.update("pythonPath", undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  // The spec passes a CPython older than 3.8 when the machine has one (pyenv here has 3.7 and 2.7).
  const oldPython = process.env.GIL_TIMELINE_E2E_OLD_PYTHON;
  if (oldPython) {
    test("an interpreter older than 3.8 is refused with its version", async () => {
      const config = vscode.workspace.getConfiguration("gilTimeline");
      await config.update("pythonPath", oldPython, vscode.ConfigurationTarget.Workspace);
      try {
        const uri = file("01_sleeping_threads.py");
        await assert.rejects(findInterpreter(uri), /needs CPython 3\.8 or newer; .* is [23]\.\d+\.\d+/);
        assert.equal(await vscode.commands.executeCommand("gilTimeline.traceFile", uri), undefined);
      } finally {
        await config.update("pythonPath", undefined, vscode.ConfigurationTarget.Workspace);
      }
    });
  }

  test("a syntax error ends the run with a clear message and its line", async () => {
    const uri = file("syntax_error.py");
    const result = await trace(uri);
    assert.equal(result.status.state, "failed");
    assert.match(result.status.message ?? "", /SyntaxError at line 3/);
  }, RUN);

  test("Stop Tracing ends a script that never ends and keeps the partial trace", async () => {
    const uri = file("never_ends.py");
    const run = vscode.commands.executeCommand<TraceResult | undefined>("gilTimeline.traceFile", uri);
    await until("the run to start", () => api().runner.running);
    await new Promise((r) => setTimeout(r, 3000)); // let the trace grow
    await vscode.commands.executeCommand("gilTimeline.stopTracing");
    const result = await run;
    assert.ok(result);
    assert.equal(result.status.state, "cancelled");
    assert.ok(result.model.threads.length >= 2, `partial trace has ${result.model.threads.length} threads`);
    assert.equal(api().runner.running, false);
  }, RUN);

  test("the timeout setting stops it too", async () => {
    const config = vscode.workspace.getConfiguration("gilTimeline");
    await config.update("timeoutSeconds", 2, vscode.ConfigurationTarget.Workspace);
    try {
      const result = await trace(file("never_ends.py"));
      assert.equal(result.status.state, "cancelled");
      assert.match(result.status.message ?? "", /2 s timeout/);
    } finally {
      await config.update("timeoutSeconds", undefined, vscode.ConfigurationTarget.Workspace);
    }
  }, RUN);
});
