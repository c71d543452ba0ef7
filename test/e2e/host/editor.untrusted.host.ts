// In-host tests in an untrusted workspace (Restricted Mode): the extension is active (limited support)
// but runs nothing: tracing refuses, no thread lenses (they would run the interpreter).
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import type { GilTimelineApi } from "../../../src/extension";
import { suite, test } from "../host-runner/src/api";

suite("editor in Restricted Mode", () => {
  test("the extension is active and its commands exist", async () => {
    const ext = vscode.extensions.getExtension("gil-timeline.gil-timeline");
    assert.ok(ext);
    await ext.activate();
    assert.equal(vscode.workspace.isTrusted, false);
    assert.ok((await vscode.commands.getCommands(true)).includes("gilTimeline.traceFile"));
  });

  test("tracing refuses and shows no lenses", async () => {
    const ext = vscode.extensions.getExtension("gil-timeline.gil-timeline");
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder && ext);
    const uri = vscode.Uri.joinPath(folder.uri, "03_counter_race.py");
    await vscode.window.showTextDocument(uri);
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>("vscode.executeCodeLensProvider", uri)) ?? [];
    assert.equal(lenses.filter((l) => l.command?.command.startsWith("gilTimeline.")).length, 0);
    // Not awaited: the refusal is an error notification that waits for the user; the spec checks it on screen.
    const result = vscode.commands.executeCommand("gilTimeline.traceFile", uri);
    const settled = await Promise.race([result, new Promise((r) => setTimeout(() => r("pending"), 2000))]);
    assert.ok(settled === undefined || settled === "pending", "the run was not refused");
    const api = ext.exports as GilTimelineApi;
    assert.equal(api.runner.running, false, "a run started in Restricted Mode");
    assert.equal(api.store.all().length, 0, "a trace was recorded in Restricted Mode");
  });
});
