// Opens a source file at a line for a click in a webview (timeline or compare panel).
import * as vscode from "vscode";

/** Reuses the editor already showing the file rather than opening it again in another group. */
export async function revealSource(file: string, line: number): Promise<void> {
  const position = new vscode.Position(line - 1, 0);
  const uri = vscode.Uri.file(file);
  const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.fsPath === uri.fsPath);
  try {
    await vscode.window.showTextDocument(uri, {
      viewColumn: shown?.viewColumn ?? vscode.ViewColumn.One,
      selection: new vscode.Range(position, position),
    });
  } catch {
    // The file may be gone or outside the workspace.
  }
}
