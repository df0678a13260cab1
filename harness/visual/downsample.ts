/**
 * Keeps the HTML report small and quick for long traces. A 100,000-op trace
 * has ~50,000 block lifetimes, most of them a few ops long: on a canvas
 * 1,000 pixels wide, a column is 100 ops, so those are slivers. Blocks that
 * start in the same column and end in the same column and lie next to each
 * other in the heap are merged into one rectangle; the columns and the
 * "next to each other" distance double in turn until the count fits the cap.
 */

export interface TimelineRect {
  /** First op the block is live after. */
  s: number;
  /** Op that ended it (free, or the realloc that moved it); one past the last op shown when it stayed live. */
  e: number;
  /** Offset of the payload from base. */
  a: number;
  /** Bytes (for merged rectangles: the span from the first to the last byte). */
  n: number;
  /** Block id (for merged rectangles: the first one's). */
  id: number;
  /** Blocks merged into this rectangle, when more than one. */
  k?: number;
}

/**
 * Columns and address rows of the notional canvas the first merge level
 * uses: finer than any screen, so the cap, not the first level, decides how
 * much detail survives.
 */
const COLUMNS = 16_000;
const ROWS = 8_000;

export function downsampleRects(rects: readonly TimelineRect[], ops: number, extent: number, max: number): TimelineRect[] {
  if (rects.length <= max) return rects.slice();
  let opBucket = Math.max(1, Math.ceil(ops / COLUMNS));
  let gap = Math.max(1, Math.ceil(extent / ROWS));
  // Coarsen one dimension at a time, so the result lands close under the cap.
  for (let level = 0; level < 80; level++) {
    const merged = mergeLevel(rects, opBucket, gap);
    if (merged.length <= max) return merged;
    if (level % 2 === 0) opBucket *= 2;
    else gap *= 2;
  }
  return mergeLevel(rects, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
}

function mergeLevel(rects: readonly TimelineRect[], opBucket: number, gap: number): TimelineRect[] {
  const groups = new Map<string, TimelineRect[]>();
  for (const r of rects) {
    const key = `${Math.floor(r.s / opBucket)}:${Math.ceil(r.e / opBucket)}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(r);
  }
  const out: TimelineRect[] = [];
  for (const g of groups.values()) {
    g.sort((x, y) => x.a - y.a);
    let cur: TimelineRect | undefined;
    for (const r of g) {
      if (cur && r.a <= cur.a + cur.n + gap) {
        cur.n = Math.max(cur.n, r.a + r.n - cur.a);
        cur.s = Math.min(cur.s, r.s);
        cur.e = Math.max(cur.e, r.e);
        cur.k = (cur.k ?? 1) + (r.k ?? 1);
        continue;
      }
      if (cur) out.push(cur);
      cur = { ...r };
    }
    if (cur) out.push(cur);
  }
  return out.sort((x, y) => x.s - y.s || x.a - y.a);
}

/**
 * At most `max` points per curve: each point is a bucket of consecutive ops
 * and holds the bucket's highest value, so a peak one op wide still shows.
 */
export function downsampleSeries(heap: readonly number[], live: readonly number[], max: number): { op: number[]; heap: number[]; live: number[] } {
  const n = heap.length;
  const bucket = Math.max(1, Math.ceil(n / Math.max(1, max)));
  const out = { op: [] as number[], heap: [] as number[], live: [] as number[] };
  for (let start = 0; start < n; start += bucket) {
    let h = 0;
    let l = 0;
    for (let i = start; i < Math.min(n, start + bucket); i++) {
      h = Math.max(h, heap[i]!);
      l = Math.max(l, live[i]!);
    }
    out.op.push(start);
    out.heap.push(h);
    out.live.push(l);
  }
  return out;
}
