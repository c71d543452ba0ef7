// Unsaved changes run too: the script and any module it imports may have unsaved edits, and the
// traced process reads the files from disk.
import * as vscode from "vscode";

/** A Python file, whether or not a language extension has claimed it. */
export const isPython = (d: vscode.TextDocument): boolean => d.languageId === "python" || d.uri.fsPath.endsWith(".py");

/**
 * Saves every dirty Python document. Resolves to the ones still unsaved after a second try (a save
 * participant or a slow file system can make the first fail), so the caller can refuse to run stale code.
 */
export async function saveDirtyPython(): Promise<vscode.TextDocument[]> {
  const dirty = vscode.workspace.textDocuments.filter((d) => d.isDirty && isPython(d));
  const failed: vscode.TextDocument[] = [];
  for (const d of dirty) {
    if (await d.save()) continue;
    await new Promise((r) => setTimeout(r, 250));
    if (d.isDirty && !(await d.save())) failed.push(d);
  }
  return failed;
}

export function unsavedMessage(docs: readonly vscode.TextDocument[]): string {
  const names = docs.map((d) => vscode.workspace.asRelativePath(d.uri)).join(", ");
  return `GIL Timeline: could not save ${names}, so the run would not see your changes. Save it (Ctrl+S) and trace again.`;
}
