// Workspace trust: tracing runs the user's script, so Restricted Mode refuses it and says why.
import * as vscode from "vscode";

export const UNTRUSTED_MESSAGE =
  "GIL Timeline runs the Python script it traces, so it is disabled in Restricted Mode. Trust this workspace to trace its scripts.";

/** Refuses in an untrusted workspace, with a way to trust it. True when running is allowed. */
export async function requireTrust(): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  const choice = await vscode.window.showErrorMessage(UNTRUSTED_MESSAGE, "Manage Workspace Trust");
  if (choice) await vscode.commands.executeCommand("workbench.trust.manage");
  return false;
}
