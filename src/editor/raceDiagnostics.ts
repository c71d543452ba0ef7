// Race points in the editor: a warning diagnostic per racing line (Problems panel, source
// "GIL Timeline"), a gutter mark, and a hover with the interleaving. Refreshed when a run finishes,
// cleared for a file as soon as it is edited (the trace's lines no longer describe it).
import * as vscode from "vscode";
import type { TraceStore } from "../commands/traceStore";
import type { RacePoint, TraceModel } from "../trace/types";
import { raceHoverMarkdown, raceLinesByFile, raceMessage } from "./raceText";

export const DIAGNOSTIC_SOURCE = "GIL Timeline";
export const RACE_CODE = "race";

/** A race as it sits on one line of one file. */
export interface RaceOnLine {
  race: RacePoint;
  model: TraceModel;
  /** 1-based. */
  line: number;
  /** All racing lines of this race in this file (1-based): what the quick fix guards. */
  linesInFile: number[];
}

// A small warning triangle; a data URI because decorations need a file or URI and this is the only icon.
const GUTTER_ICON = vscode.Uri.parse(
  "data:image/svg+xml;utf8," +
    encodeURIComponent(
      '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16"><path d="M8 1.5 15 14.5H1z" fill="#e5a00d" stroke="#7a5200"/><rect x="7.2" y="5.5" width="1.6" height="5" fill="#000"/><rect x="7.2" y="11.5" width="1.6" height="1.6" fill="#000"/></svg>',
    ),
);

export class RaceEditorView implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection("gilTimeline");
  private readonly decoration = vscode.window.createTextEditorDecorationType({
    gutterIconPath: GUTTER_ICON,
    gutterIconSize: "contain",
    overviewRulerColor: new vscode.ThemeColor("editorOverviewRuler.warningForeground"),
    overviewRulerLane: vscode.OverviewRulerLane.Right,
  });
  /** fsPath -> races on its lines. */
  private byFile = new Map<string, RaceOnLine[]>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly store: TraceStore) {
    this.disposables.push(
      this.diagnostics,
      this.decoration,
      store.onDidChange(() => this.refresh()),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) this.clearFile(e.document.uri);
      }),
      vscode.window.onDidChangeVisibleTextEditors(() => this.decorateVisible()),
      vscode.languages.registerHoverProvider({ language: "python" }, { provideHover: (d, p) => this.hover(d, p) }),
    );
  }

  /** Races whose lines include `line` (1-based) of `uri`. */
  racesAt(uri: vscode.Uri, line: number): RaceOnLine[] {
    return (this.byFile.get(uri.fsPath) ?? []).filter((r) => r.line === line);
  }

  private refresh(): void {
    this.byFile = new Map();
    for (const result of this.store.all()) {
      for (const race of result.model.races) {
        for (const [file, lines] of raceLinesByFile(race)) {
          const key = vscode.Uri.file(file).fsPath;
          const list = this.byFile.get(key) ?? [];
          for (const line of lines) list.push({ race, model: result.model, line, linesInFile: lines });
          this.byFile.set(key, list);
        }
      }
    }
    this.diagnostics.clear();
    for (const [file, races] of this.byFile) {
      this.diagnostics.set(vscode.Uri.file(file), races.map((r) => this.toDiagnostic(file, r)));
    }
    this.decorateVisible();
  }

  private toDiagnostic(file: string, r: RaceOnLine): vscode.Diagnostic {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file);
    const lineIndex = r.line - 1;
    const range =
      doc && lineIndex < doc.lineCount
        ? new vscode.Range(lineIndex, doc.lineAt(lineIndex).firstNonWhitespaceCharacterIndex, lineIndex, doc.lineAt(lineIndex).text.length)
        : new vscode.Range(lineIndex, 0, lineIndex, Number.MAX_SAFE_INTEGER);
    const d = new vscode.Diagnostic(range, raceMessage(r.race), vscode.DiagnosticSeverity.Warning);
    d.source = DIAGNOSTIC_SOURCE;
    d.code = RACE_CODE;
    d.relatedInformation = r.linesInFile
      .filter((l) => l !== r.line)
      .map((l) => new vscode.DiagnosticRelatedInformation(
        new vscode.Location(vscode.Uri.file(file), new vscode.Position(l - 1, 0)),
        `other access to \`${r.race.variable}\` in this race`,
      ));
    return d;
  }

  private clearFile(uri: vscode.Uri): void {
    if (!this.byFile.has(uri.fsPath)) return;
    this.byFile.delete(uri.fsPath);
    this.diagnostics.delete(uri);
    this.decorateVisible();
  }

  private decorateVisible(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      const races = this.byFile.get(editor.document.uri.fsPath) ?? [];
      const lines = [...new Set(races.map((r) => r.line - 1))].filter((l) => l < editor.document.lineCount);
      editor.setDecorations(this.decoration, lines.map((l) => new vscode.Range(l, 0, l, 0)));
    }
  }

  private hover(doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
    const races = this.racesAt(doc.uri, pos.line + 1);
    if (races.length === 0) return undefined;
    const seen = new Set<RacePoint>();
    const parts: vscode.MarkdownString[] = [];
    for (const r of races) {
      if (seen.has(r.race)) continue;
      seen.add(r.race);
      parts.push(new vscode.MarkdownString(raceHoverMarkdown(r.race, r.model))); // untrusted: no HTML, no commands
    }
    return new vscode.Hover(parts, doc.lineAt(pos.line).range);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
