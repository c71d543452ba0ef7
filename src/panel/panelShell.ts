// What every GIL Timeline webview panel shares on the host side: the page (one bundle for the
// timeline and the compare view), the panel options, and messages held until the page is ready.
import * as vscode from "vscode";
import type { HostToWebview } from "../protocol";
import { timelineHtml } from "./html";

export function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  const media = vscode.Uri.joinPath(extensionUri, "media");
  return timelineHtml({
    cspSource: webview.cspSource,
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(media, "dist", "timeline.js")).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, "timeline.css")).toString(),
    title,
  });
}

export function panelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, "media")],
  };
}

/** Posts to a webview; until its page says "ready", keeps only the latest message of each kind. */
export class WebviewPort {
  private ready = false;
  private closed = false;
  private readonly pending = new Map<HostToWebview["type"], HostToWebview>();

  constructor(private readonly webview: vscode.Webview) {}

  post(message: HostToWebview): void {
    if (this.closed) return;
    if (!this.ready) this.pending.set(message.type, message);
    else void this.webview.postMessage(message);
  }

  /** The page loaded: send what waited, in the order it first arrived. */
  markReady(): void {
    this.ready = true;
    const queued = [...this.pending.values()];
    this.pending.clear();
    for (const m of queued) this.post(m);
  }

  close(): void {
    this.closed = true;
    this.pending.clear();
  }
}
