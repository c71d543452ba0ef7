// The compare panel, host side (issue 5): the same webview as the timeline, sent a "compare"
// message once every run is done and status messages while they run. Restored after a window
// reload from its runs' trace files (CompareState, src/panel/serializer.ts).
import * as vscode from "vscode";
import { isWebviewToHost, type CompareRunState, type CompareState, type CompareView, type RunStatus } from "../protocol";
import { newPanelId, rememberPanel } from "./panelMemory";
import { panelHtml, panelOptions, WebviewPort } from "./panelShell";
import { revealSource } from "./revealSource";

export const COMPARE_VIEW_TYPE = "gilTimeline.compare";

export class ComparePanel {
  private readonly port: WebviewPort;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose: vscode.Event<void> = this.disposeEmitter.event;
  private disposed = false;

  static show(extensionUri: vscode.Uri, title: string): ComparePanel {
    const panel = vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, title, vscode.ViewColumn.Beside, panelOptions(extensionUri));
    return new ComparePanel(panel, extensionUri, title, newPanelId());
  }

  /** Used by the serializer: adopt a panel VS Code restored after a reload (its id kept when known). */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, title: string, id: string): ComparePanel {
    panel.webview.options = panelOptions(extensionUri);
    return new ComparePanel(panel, extensionUri, title, id || newPanelId());
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly title: string,
    private readonly id: string,
  ) {
    panel.webview.html = panelHtml(panel.webview, extensionUri, title);
    this.port = new WebviewPort(panel.webview);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  setStatus(status: RunStatus): void {
    this.port.post({ type: "status", status });
  }

  /** Shows the comparison; `runs` (the runs' trace files, in its order) is kept to restore it after a reload. */
  showComparison(compare: CompareView, runs: CompareRunState[]): void {
    this.port.post({ type: "compare", compare });
    const state: CompareState = { kind: "compare", id: this.id, title: this.title, runs };
    this.port.post({ type: "persist", state });
    rememberPanel(state);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.port.close();
    this.disposeEmitter.fire();
    this.panel.dispose();
    for (const d of this.disposables) d.dispose();
    this.disposeEmitter.dispose();
  }

  private onMessage(raw: unknown): void {
    if (!isWebviewToHost(raw)) return;
    if (raw.type === "ready") this.port.markReady();
    else if (raw.type === "reveal") void revealSource(raw.file, raw.line);
  }
}
