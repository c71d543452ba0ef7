// In-host: with the Python extension present (here its test stand-in), GIL Timeline traces with the
// interpreter selected there, ahead of gilTimeline.pythonPath and PATH.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { findInterpreter } from "../../../src/commands/interpreter";
import type { TraceResult } from "../../../src/commands/traceStore";
import { suite, test } from "../host-runner/src/api";

function lab(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, "no workspace folder");
  return vscode.Uri.joinPath(folder.uri, name);
}

suite("the Python extension's interpreter", () => {
  const selected = process.env.GIL_TIMELINE_E2E_SELECTED_PYTHON;

  test("is the one GIL Timeline chooses", async () => {
    assert.ok(selected, "the spec did not select an interpreter");
    assert.ok(vscode.extensions.getExtension("ms-python.python"), "the Python extension (stand-in) is not installed");
    const found = await findInterpreter(lab("01_sleeping_threads.py"));
    assert.equal(found.source, "Python extension");
    assert.equal(found.executable, selected);
  });

  test("is the one the traced script runs on", async () => {
    const result = await vscode.commands.executeCommand<TraceResult | undefined>("gilTimeline.traceFile", lab("01_sleeping_threads.py"));
    assert.ok(result, "the trace did not run");
    assert.equal(result.status.exitCode, 0);
    const expected = process.env.GIL_TIMELINE_E2E_SELECTED_VERSION;
    assert.equal(result.model.processes[0].python.version, expected);
  }, { timeoutMs: 150_000 });
});
