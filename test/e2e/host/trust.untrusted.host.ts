// In-host check of the trust plumbing: startCodeServer({ trust: false }) opens the workspace in restricted mode.
import * as assert from "node:assert/strict";
import * as vscode from "vscode";
import { test } from "../host-runner/src/api";

test("the workspace is untrusted", () => {
  assert.ok(vscode.workspace.workspaceFolders?.length, "no workspace folder");
  assert.equal(vscode.workspace.isTrusted, false);
});
