// One thread's state over time, built interval by interval: closed intervals go into plain
// growable columns; the one open interval is held apart so a snapshot can close it without
// changing the builder (the live view snapshots while the trace grows).
import type { ThreadTimeline } from "./types";

export const RUNNING = 0;
export const WAITING = 1;
export const BLOCKED = 2;
export const NONE = -1;

export class IntervalBuilder {
  private readonly start: number[] = [];
  private readonly end: number[] = [];
  private readonly state: number[] = [];
  private readonly blockKind: number[] = [];
  private readonly site: number[] = [];
  /** Closed time per state code, ms. */
  readonly totals = [0, 0, 0];
  /** Running intervals closed so far. */
  slices = 0;
  openState = NONE;
  openStart = 0;
  private openKind = 0;
  private openSite = -1;

  /** Enter `state` at time `t` (ms); a change to the same state and block kind continues the interval. */
  enter(state: number, t: number, blockKind = 0, site = -1): void {
    if (state === this.openState && blockKind === this.openKind) return;
    this.close(t);
    this.openState = state;
    this.openStart = t;
    this.openKind = blockKind;
    this.openSite = site;
  }

  /** Close the open interval at `t` (empty intervals are dropped). */
  close(t: number): void {
    const s = this.openState;
    if (s === NONE) return;
    this.openState = NONE;
    if (t <= this.openStart) return;
    this.push(this.openStart, t, s, this.openKind, this.openSite);
    this.totals[s] += t - this.openStart;
    if (s === RUNNING) this.slices++;
  }

  private push(start: number, end: number, state: number, blockKind: number, site: number): void {
    this.start.push(start);
    this.end.push(end);
    this.state.push(state);
    this.blockKind.push(blockKind);
    this.site.push(site);
  }

  /** Totals and slices as if the open interval were closed at `t`. */
  totalsAt(t: number): { ms: number[]; slices: number } {
    const ms = this.totals.slice();
    let slices = this.slices;
    if (this.openState !== NONE && t > this.openStart) {
      ms[this.openState] += t - this.openStart;
      if (this.openState === RUNNING) slices++;
    }
    return { ms, slices };
  }

  /** Typed-array columns, with the open interval closed at `t`. */
  timelineAt(t: number): ThreadTimeline {
    const open = this.openState !== NONE && t > this.openStart ? 1 : 0;
    const n = this.start.length + open;
    const tl: ThreadTimeline = {
      start: new Float64Array(n),
      end: new Float64Array(n),
      state: new Uint8Array(n),
      blockKind: new Uint8Array(n),
      site: new Int32Array(n),
    };
    tl.start.set(this.start);
    tl.end.set(this.end);
    tl.state.set(this.state);
    tl.blockKind.set(this.blockKind);
    tl.site.set(this.site);
    if (open) {
      const i = n - 1;
      tl.start[i] = this.openStart;
      tl.end[i] = t;
      tl.state[i] = this.openState;
      tl.blockKind[i] = this.openKind;
      tl.site[i] = this.openSite;
    }
    return tl;
  }
}

