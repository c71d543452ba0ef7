// In-host smoke test: runs inside code-server's extension host with the real `vscode` API.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { suite, test } from "../host-runner/src/api";

const EXTENSION_ID = "gil-timeline.gil-timeline";

suite("activation", () => {
  test("the packaged extension is installed and activates", async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  test("the extension ships its Python tracer", async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    const tracer = vscode.Uri.joinPath(extension.extensionUri, "tracer", "gil_timeline");
    const entries = await vscode.workspace.fs.readDirectory(tracer);
    assert.ok(entries.some(([name]) => name.endsWith(".py")), `no .py file in ${tracer.fsPath}`);
  });

  test("the workspace is open and trusted", () => {
    assert.ok(vscode.workspace.workspaceFolders?.length, "no workspace folder");
    assert.equal(vscode.workspace.isTrusted, true);
  });
});
