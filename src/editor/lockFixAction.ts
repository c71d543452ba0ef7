// The quick fix on a race diagnostic: wrap the racing read-modify-write in `with <lock>:`.
// The edit itself is the pure lockFix(); this only turns it into a WorkspaceEdit.
import * as vscode from "vscode";
import { lockFix } from "./lockFix";
import { DIAGNOSTIC_SOURCE, type RaceEditorView } from "./raceDiagnostics";

export class LockFixProvider implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly races: RaceEditorView) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      for (const r of this.races.racesAt(doc.uri, diagnostic.range.start.line + 1)) {
        const fix = lockFix(doc.getText(), r.race.variable, r.linesInFile);
        if (!fix) continue;
        const edit = new vscode.WorkspaceEdit();
        const eol = doc.eol === vscode.EndOfLine.CRLF ? "\r\n" : "\n";
        for (const e of fix.edits) {
          const start = new vscode.Position(e.start, 0);
          if (e.end >= doc.lineCount) {
            // The last line has no line break after it: replace to the end of the document.
            const end = doc.lineAt(doc.lineCount - 1).range.end;
            edit.replace(doc.uri, new vscode.Range(start, end), e.lines.join(eol));
            continue;
          }
          const text = e.lines.map((l) => l + eol).join("");
          if (e.start === e.end) edit.insert(doc.uri, start, text);
          else edit.replace(doc.uri, new vscode.Range(start, new vscode.Position(e.end, 0)), text);
        }
        const action = new vscode.CodeAction(`${fix.title} (race on ${r.race.variable})`, vscode.CodeActionKind.QuickFix);
        action.edit = edit;
        action.diagnostics = [diagnostic];
        action.isPreferred = true;
        actions.push(action);
      }
    }
    return actions;
  }
}
