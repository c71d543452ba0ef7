// The timeline panel, host side: owns one webview panel, turns TraceModels into TimelineViews,
// and answers the webview's reveal requests. Several panels can be open side by side.
import * as vscode from "vscode";
import { isWebviewToHost, type HostToWebview, type RunStatus, type TimelineState, type WebviewToHost } from "../protocol";
import type { TraceModel } from "../trace/types";
import { newPanelId, rememberPanel } from "./panelMemory";
import { panelHtml, panelOptions, WebviewPort } from "./panelShell";
import { revealSource } from "./revealSource";
import { buildTimelineView } from "./viewModel";

export const TIMELINE_VIEW_TYPE = "gilTimeline.timeline";

export interface TimelinePanelOptions {
  /** Show only these threads (ThreadInfo.id or name). */
  filterThreads?: string[];
  /** The raw trace file, remembered so the panel can be rebuilt after a window reload. */
  tracePath?: string;
  /** The script's own panel, which its re-runs update (Timelines.forScript). */
  script?: string;
}

export interface RevealRequest {
  file: string;
  line: number;
}

export class TimelinePanel {
  private readonly revealEmitter = new vscode.EventEmitter<RevealRequest>();
  /** Fired when the user clicks a slice, handoff or race (after the panel opened the file). */
  readonly onDidRevealSource: vscode.Event<RevealRequest> = this.revealEmitter.event;
  private readonly raceEmitter = new vscode.EventEmitter<number>();
  /** Fired when the user selects a race point (index into TraceModel.races). */
  readonly onDidSelectRace: vscode.Event<number> = this.raceEmitter.event;
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose: vscode.Event<void> = this.disposeEmitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  /** Messages wait here until the webview is ready (only the latest of each kind matters). */
  private readonly port: WebviewPort;
  private disposed = false;
  /** The latest model and status shown, for the export commands. */
  private shown: { model: TraceModel; status: RunStatus } | null = null;
  /** The trace file shown now: persisted, so a reload restores this one (not the first run's). */
  private tracePath: string | null;
  private readonly filterThreads: string[] | null;
  /** Set on a script's own panel (see TimelinePanelOptions.script); null once kept (keep()). */
  private ownScript: string | null;
  private title: string;

  static show(extensionUri: vscode.Uri, title: string, opts: TimelinePanelOptions = {}): TimelinePanel {
    const panel = vscode.window.createWebviewPanel(TIMELINE_VIEW_TYPE, title, vscode.ViewColumn.Beside, panelOptions(extensionUri));
    return new TimelinePanel(panel, extensionUri, title, opts, newPanelId());
  }

  /** Used by the serializer: adopt a panel VS Code restored after a reload (same id, trace and filter). */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, state: TimelineState): TimelinePanel {
    panel.webview.options = panelOptions(extensionUri);
    const opts = { tracePath: state.tracePath ?? undefined, filterThreads: state.filterThreads ?? undefined, script: state.script ?? undefined };
    return new TimelinePanel(panel, extensionUri, state.title, opts, state.id || newPanelId());
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    title: string,
    opts: TimelinePanelOptions,
    private readonly id: string,
  ) {
    this.tracePath = opts.tracePath ?? null;
    this.filterThreads = opts.filterThreads ?? null;
    this.ownScript = opts.script ?? null;
    this.title = title;
    const webview = panel.webview;
    webview.html = panelHtml(webview, extensionUri, title);
    this.port = new WebviewPort(webview);
    this.disposables.push(
      webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      panel.onDidDispose(() => this.dispose()),
    );
    this.persist();
  }

  get script(): string | null {
    return this.ownScript;
  }

  /**
   * Keep what this panel shows beside the script's next run (e.g. before and after adding a lock):
   * it stops being the script's own panel, so the next run opens a new one; "(kept)" in its title.
   */
  keep(): void {
    if (this.ownScript === null) return;
    this.ownScript = null;
    this.title = `${this.title} (kept)`;
    this.panel.title = this.title;
    this.persist();
  }

  /** The trace file the panel shows from now on (a re-run of its script writes a new one). */
  showTrace(tracePath: string): void {
    if (tracePath === this.tracePath) return;
    this.tracePath = tracePath;
    this.persist();
  }

  private persist(): void {
    const state: TimelineState = { kind: "timeline", id: this.id, title: this.title, tracePath: this.tracePath, filterThreads: this.filterThreads, script: this.ownScript };
    this.post({ type: "persist", state });
    if (this.tracePath) rememberPanel(state);
  }

  /** Call as often as the trace grows (live view); the latest model wins. */
  update(model: TraceModel, status: RunStatus): void {
    this.shown = { model, status };
    this.post({ type: "model", view: buildTimelineView(model, { title: this.title, filterThreads: this.filterThreads ?? undefined }) });
    this.post({ type: "status", status });
  }

  setStatus(status: RunStatus): void {
    if (this.shown) this.shown = { ...this.shown, status };
    this.post({ type: "status", status });
  }

  /** Highlight the events of one source line (e.g. the editor's cursor line). */
  highlightLine(file: string, line: number): void {
    this.post({ type: "highlight", file, line });
  }

  clearHighlight(): void {
    this.post({ type: "clearHighlight" });
  }

  reveal(): void {
    this.panel.reveal();
  }

  /** The trace this panel shows (null before its first model), for exports. */
  get trace(): { title: string; model: TraceModel; status: RunStatus } | null {
    return this.shown && { title: this.title, ...this.shown };
  }

  /** Whether this panel is the active tab. */
  get active(): boolean {
    return !this.disposed && this.panel.active;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposeEmitter.fire();
    this.panel.dispose();
    for (const d of this.disposables) d.dispose();
    this.revealEmitter.dispose();
    this.raceEmitter.dispose();
    this.disposeEmitter.dispose();
  }

  private post(message: HostToWebview): void {
    if (!this.disposed) this.port.post(message);
  }

  private onMessage(raw: unknown): void {
    if (!isWebviewToHost(raw)) return;
    const message: WebviewToHost = raw;
    switch (message.type) {
      case "ready":
        this.port.markReady();
        break;
      case "reveal":
        void this.openSource(message.file, message.line);
        break;
      case "selectRace":
        this.raceEmitter.fire(message.index);
        break;
    }
  }

  private async openSource(file: string, line: number): Promise<void> {
    await revealSource(file, line); // listeners hear the request even when the file is gone
    this.revealEmitter.fire({ file, line });
  }
}

export { registerTimelineSerializer } from "./serializer";
