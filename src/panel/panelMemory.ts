// What each GIL Timeline panel shows (PersistedState: trace file, lens filter, compare runs), kept in
// the workspace state as well as in the webview's own state: a browser reload (code-server) can save
// the editor layout before the webview's setState arrives, and then the restored panel would not know
// its trace. Keyed by the panel's id, unique per panel (titles repeat: "GIL Timeline: worker" of two
// scripts, two panels of one lens).
import { randomUUID } from "node:crypto";
import type * as vscode from "vscode";
import { asPersistedState, type PersistedState } from "../protocol";

const KEY = "gilTimeline.panels";
/** Enough for the panels anyone keeps open; older entries are dropped first. */
export const MAX_ENTRIES = 50;

let memento: vscode.Memento | null = null;
/** Panels of this window (created or restored): their entries are theirs, not a fallback for another. */
const live = new Set<string>();

export function usePanelMemory(workspaceState: vscode.Memento | null): void {
  memento = workspaceState;
  live.clear();
}

export function newPanelId(): string {
  return randomUUID();
}

/** Entries oldest first; anything that does not read as a PersistedState with an id is dropped. */
function entries(): PersistedState[] {
  const raw = memento?.get<unknown>(KEY, []);
  return (Array.isArray(raw) ? raw : []).map(asPersistedState).filter((s): s is PersistedState => s !== null && s.id !== "");
}

/** Records what a panel shows now (called on every change, so the newest state wins). */
export function rememberPanel(state: PersistedState): void {
  live.add(state.id);
  if (!memento || state.id === "") return;
  const kept = entries().filter((e) => e.id !== state.id);
  kept.push(state);
  void memento.update(KEY, kept.slice(-MAX_ENTRIES));
}

/**
 * The state to restore a panel from. `saved` is what its webview persisted (null when that was lost):
 * the host's copy of the same panel is preferred (it is written first); without either, the newest
 * entry of that kind and title not owned by a panel of this window.
 */
export function restoredState(kind: PersistedState["kind"], title: string, saved: PersistedState | null): PersistedState | null {
  const all = entries();
  if (saved && saved.kind === kind) {
    const same = saved.id !== "" ? all.find((e) => e.id === saved.id && e.kind === kind) : undefined;
    return claim(same ?? saved);
  }
  const guess = all.reverse().find((e) => e.kind === kind && e.title === title && !live.has(e.id));
  return guess ? claim(guess) : null;
}

function claim(state: PersistedState): PersistedState {
  if (state.id !== "") live.add(state.id);
  return state;
}
