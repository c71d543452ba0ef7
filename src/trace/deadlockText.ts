// One sentence per deadlock, as the CLI prints it and the timeline shows it: who holds which lock
// (and where it took it), who waits for which (and where), and how the cycle ended.
import type { Deadlock, DeadlockThread, SourceSite } from "./types";

const at = (site: SourceSite | null) => (site ? ` (line ${site.line})` : "");

function threadText(t: DeadlockThread, wantedByOthers: Set<string>): string {
  // The lock the rest of the cycle waits for is the one that makes this thread part of it.
  const held = t.holds.find((h) => wantedByOthers.has(h.lock.name)) ?? t.holds[0];
  const holds = held ? `holds ${held.lock.name}${at(held.acquiredAt)} and ` : "";
  return `${t.name} ${holds}${waitText(t)}${at(t.waitsAt)}`;
}

function waitText(t: DeadlockThread): string {
  return t.joins ? `waits for ${t.joins.name} to end (join)` : `waits for ${t.waitsFor?.name ?? "a lock"}`;
}

/** What a thread of the cycle waits on, in a word: the lock's name, or `join(worker)`. */
function waitedOn(t: DeadlockThread): string {
  return t.joins ? `join(${t.joins.name})` : (t.waitsFor?.name ?? "?");
}

export function deadlockText(d: Deadlock): string {
  const wanted = new Set(d.threads.flatMap((t) => (t.waitsFor ? [t.waitsFor.name] : [])));
  const ending = d.brokenByTimeout
    ? `broken after ${seconds(d.untilMs - d.sinceMs)} when ${d.threads.some((t) => t.joins) ? "an acquire or a join" : "an acquire"} timed out`
    : "until the run was stopped";
  return `Deadlock: ${d.threads.map((t) => threadText(t, wanted)).join("; ")} (${ending})`;
}

/** "T1 ⇄ T2 on lock_a/lock_b": the short form of the timeline's annotation. */
export function deadlockLabel(d: Deadlock): string {
  const names = d.threads.map((t) => t.name);
  const locks = d.threads.map(waitedOn);
  return `deadlock: ${names.join(names.length === 2 ? " ⇄ " : " → ")} on ${locks.join("/")}`;
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

/** What the CLI says when --timeout stopped the run: and, when the run was stuck in a deadlock, which. */
export function timeoutText(timeoutS: number | undefined, deadlocks: Deadlock[]): string {
  const stuck = deadlocks.filter((d) => !d.brokenByTimeout);
  const head = `gil-timeline: timed out after ${timeoutS} s; the process tree was killed`;
  if (stuck.length === 0) return `${head}\n`;
  return `${head}: the program was stuck in a deadlock\n${stuck.map((d) => `gil-timeline: ${deadlockText(d)}\n`).join("")}`;
}
