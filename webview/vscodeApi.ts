// The webview's end of the protocol: the one place that touches acquireVsCodeApi.
import type { PersistedState, WebviewToHost } from "../src/protocol";

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();

export function post(message: WebviewToHost): void {
  api.postMessage(message);
}

export function persist(state: PersistedState): void {
  api.setState(state);
}
