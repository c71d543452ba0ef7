// Happens-before over one process's record order, with vector clocks: thread spawn and join,
// lock release → acquire, and release-like → acquire-like operations on one sync object (Event,
// Queue, Condition, Semaphore, Barrier, futures). Threads are the tracer's per-process indexes.
// An access is stamped with its thread's own clock entry (an epoch); a later access by thread t
// is ordered after it iff that epoch is <= t's clock entry for the first thread.

type Clock = number[];

function joinInto(into: Clock, from: Clock): void {
  for (let i = 0; i < from.length; i++) {
    const v = from[i] ?? 0;
    if (v > (into[i] ?? 0)) into[i] = v;
  }
}

export class HappensBefore {
  private readonly clocks: Clock[] = [];
  private readonly ended: (Clock | undefined)[] = [];
  private readonly lockReleases = new Map<number, Clock>();
  private readonly syncReleases = new Map<number, Clock>();

  private clock(t: number): Clock {
    let c = this.clocks[t];
    if (!c) {
      c = [];
      c[t] = 1; // epochs start at 1 so 0 means "nothing of t seen"
      this.clocks[t] = c;
    }
    return c;
  }

  private tick(t: number): void {
    const c = this.clock(t);
    c[t] = (c[t] ?? 0) + 1;
  }

  /** Thread t's current epoch (its own clock entry): stamp an access with it. */
  epoch(t: number): number {
    return this.clock(t)[t] ?? 0;
  }

  /** Is thread u's access at `epoch` ordered before everything thread t does from now on? */
  ordered(u: number, epoch: number, t: number): boolean {
    return epoch <= (this.clock(t)[u] ?? 0);
  }

  spawn(parent: number, child: number): void {
    joinInto(this.clock(child), this.clock(parent));
    this.tick(parent);
  }

  end(t: number): void {
    this.ended[t] = this.clock(t).slice();
  }

  joined(joiner: number, joinee: number): void {
    joinInto(this.clock(joiner), this.ended[joinee] ?? this.clock(joinee));
  }

  lockRelease(t: number, lock: number): void {
    this.lockReleases.set(lock, this.clock(t).slice());
    this.tick(t);
  }

  lockAcquire(t: number, lock: number): void {
    const released = this.lockReleases.get(lock);
    if (released) joinInto(this.clock(t), released);
  }

  /** Release-like: everything t did so far is published to the next acquirer of `obj` (accumulated: a Queue holds several puts). */
  syncRelease(t: number, obj: number): void {
    const prev = this.syncReleases.get(obj);
    if (prev) joinInto(prev, this.clock(t));
    else this.syncReleases.set(obj, this.clock(t).slice());
    this.tick(t);
  }

  syncAcquire(t: number, obj: number): void {
    const released = this.syncReleases.get(obj);
    if (released) joinInto(this.clock(t), released);
  }
}
