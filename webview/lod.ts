// Level of detail for floating bars: chart.js draws every bar it is given, and its decimation does
// not cover bars, so intervals narrower than a pixel at the current zoom are merged here into
// blocks about one pixel wide that show the dominant key (state, or GIL holder) or MIXED.

/** Key of a block whose merged intervals have no clearly dominant key. */
export const MIXED = -2;
/** A merged block is shown as its dominant key when that key covers at least this share of it. */
export const DOMINANT_SHARE = 2 / 3;

export interface Block {
  start: number;
  end: number;
  /** The interval's key, the dominant key of a merged block, or MIXED. */
  key: number;
  /** Index of the first source interval in the block. */
  first: number;
  /** How many source intervals the block stands for (1 = drawn as is). */
  count: number;
}

/** First index i with arr[i] > x (arr sorted ascending). */
export function upperBound(arr: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index i with arr[i] >= x (arr sorted ascending). */
export function lowerBound(arr: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Accumulates narrow intervals until they span a pixel, then yields one block. */
class Pending {
  start = 0;
  end = 0;
  first = -1;
  count = 0;
  private readonly weight = new Map<number, number>();

  add(i: number, s: number, e: number, key: number): void {
    if (this.count === 0) {
      this.start = s;
      this.first = i;
    }
    this.end = e;
    this.count++;
    this.weight.set(key, (this.weight.get(key) ?? 0) + (e - s));
  }

  flush(out: Block[]): void {
    if (this.count === 0) return;
    let bestKey = MIXED;
    let best = -1;
    let total = 0;
    for (const [k, w] of this.weight) {
      total += w;
      if (w > best) {
        best = w;
        bestKey = k;
      }
    }
    const key = total <= 0 || best / total >= DOMINANT_SHARE ? bestKey : MIXED;
    out.push({ start: this.start, end: this.end, key, first: this.first, count: this.count });
    this.count = 0;
    this.weight.clear();
  }
}

/**
 * The blocks to draw for intervals (sorted, non-overlapping) within [t0, t1] when one pixel is
 * msPerPixel wide. Intervals at least a pixel wide come out unchanged; runs of narrower ones merge
 * into blocks of about a pixel, never bridging a gap of a pixel or more. Work is proportional to
 * the visible intervals, not the whole lane.
 */
export function aggregate(
  start: ArrayLike<number>,
  end: ArrayLike<number>,
  key: ArrayLike<number>,
  t0: number,
  t1: number,
  msPerPixel: number,
): Block[] {
  const out: Block[] = [];
  const pending = new Pending();
  const n = start.length;
  for (let i = upperBound(end, t0); i < n && start[i] < t1; i++) {
    const s = start[i];
    const e = end[i];
    if (pending.count > 0 && s - pending.end >= msPerPixel) pending.flush(out);
    if (e - s >= msPerPixel) {
      pending.flush(out);
      out.push({ start: s, end: e, key: key[i], first: i, count: 1 });
      continue;
    }
    pending.add(i, s, e, key[i]);
    if (pending.end - pending.start >= msPerPixel) pending.flush(out);
  }
  pending.flush(out);
  return out;
}

/**
 * Joins neighbouring blocks with the same key (gap under a pixel) into one: at a zoom where every
 * pixel of a lane is "mostly waiting", the lane becomes one bar instead of a thousand.
 */
export function mergeRuns(blocks: Block[], msPerPixel: number): Block[] {
  const out: Block[] = [];
  for (const b of blocks) {
    const last = out[out.length - 1];
    if (last && last.key === b.key && b.start - last.end < msPerPixel) {
      last.end = b.end;
      last.count += b.count;
    } else out.push({ ...b });
  }
  return out;
}

/** Indices of the points (sorted times) within [t0, t1], at most one per pixel column. */
export function thinPoints(time: ArrayLike<number>, t0: number, t1: number, msPerPixel: number): number[] {
  const out: number[] = [];
  let lastColumn = -Infinity;
  for (let i = lowerBound(time, t0); i < time.length && time[i] <= t1; i++) {
    const column = Math.floor((time[i] - t0) / msPerPixel);
    if (column !== lastColumn) {
      out.push(i);
      lastColumn = column;
    }
  }
  return out;
}
