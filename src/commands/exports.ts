// "Export HTML Report…" and "Export Chrome Trace…": the trace of the active timeline (else the one
// shown last) written where the save dialog says. The same pure generators as the CLI's --html
// and --chrome, so a report from the editor and one from a grading script are the same page.
import { basename, dirname, extname, join } from "node:path";
import * as vscode from "vscode";
import { readReportAssets } from "../report/assets";
import { reportData } from "../report/fromModel";
import { htmlReport } from "../report/htmlReport";
import { chromeTraceJson } from "../trace/chromeTrace";
import type { Timelines } from "./timelines";
import type { TraceStore } from "./traceStore";

export const EXPORT_COMMANDS = {
  html: "gilTimeline.exportHtmlReport",
  chrome: "gilTimeline.exportChromeTrace",
} as const;

type ExportKind = keyof typeof EXPORT_COMMANDS;

const FORMATS: Record<ExportKind, { suffix: string; filter: Record<string, string[]>; what: string }> = {
  html: { suffix: ".html", filter: { "HTML report": ["html"] }, what: "HTML report" },
  chrome: { suffix: ".chrome.json", filter: { "Chrome Trace Event JSON": ["json"] }, what: "Chrome trace" },
};

export function registerExports(context: vscode.ExtensionContext, timelines: Timelines, store: TraceStore): void {
  for (const kind of Object.keys(EXPORT_COMMANDS) as ExportKind[]) {
    context.subscriptions.push(
      // A Uri argument (tests, keybindings) skips the save dialog.
      vscode.commands.registerCommand(EXPORT_COMMANDS[kind], (target: unknown) => exportTrace(kind, context.extensionUri, timelines, store, target)),
    );
  }
}

async function exportTrace(kind: ExportKind, extensionUri: vscode.Uri, timelines: Timelines, store: TraceStore, target: unknown): Promise<vscode.Uri | undefined> {
  const latest = store.latest();
  const trace = timelines.current() ?? (latest && { title: basename(latest.script), model: latest.model, status: latest.status });
  if (!trace) {
    void vscode.window.showInformationMessage("GIL Timeline: no trace to export yet. Run \u201cGIL Timeline: Trace Current File\u201d first.");
    return undefined;
  }
  const format = FORMATS[kind];
  const script = trace.model.processes[0]?.script;
  const name = basename(script ?? "trace", extname(script ?? "")) + format.suffix;
  const folder = script ? dirname(script) : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const uri =
    target instanceof vscode.Uri
      ? target
      : await vscode.window.showSaveDialog({
          defaultUri: folder ? vscode.Uri.file(join(folder, name)) : undefined,
          filters: format.filter,
          saveLabel: "Export",
          title: `Export ${format.what}`,
        });
  if (!uri) return undefined;
  try {
    const title = trace.title.replace(/^GIL Timeline: /, "");
    const text =
      kind === "html"
        ? htmlReport(reportData(trace.model, { title, status: trace.status }), readReportAssets(extensionUri.fsPath))
        : chromeTraceJson(trace.model);
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text, "utf8"));
  } catch (e) {
    void vscode.window.showErrorMessage(`GIL Timeline cannot write ${basename(uri.fsPath)}: ${(e as Error).message}`);
    return undefined;
  }
  void vscode.window.showInformationMessage(`GIL Timeline: ${format.what} written to ${uri.fsPath}`);
  return uri;
}
