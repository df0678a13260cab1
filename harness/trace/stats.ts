/**
 * Numbers about a trace that do not depend on any allocator: how many ops and
 * ids, the peak of live requested bytes (the numerator of utilization) and
 * the largest request.
 */
import { SIZE_MAX } from '../contract/types.ts';
import type { Op, Trace } from './types.ts';

export interface TraceStats {
  ops: number;
  /** Distinct block ids used (free(NULL)'s -1 excluded). */
  ids: number;
  /** Highest sum of live requested bytes over the trace, with NULL for oversized requests. */
  peakPayload: number;
  /** Largest single request in bytes (calloc: count * size), oversized ones included. */
  maxRequest: number;
  /** Requests beyond a 32-bit size_t: their only correct answer is NULL. */
  oversized: number;
  counts: Record<Op['kind'], number>;
}

/** Bytes an allocating op asks for (calloc: count * size); 0 for free. */
export function requestBytes(op: Op): number {
  switch (op.kind) {
    case 'a':
    case 'r':
      return op.size;
    case 'c':
      return op.count * op.size;
    case 'f':
      return 0;
  }
}

/**
 * True when the request cannot be expressed in a 32-bit size_t, so every
 * correct allocator returns NULL (calloc: the product overflows). Such ops
 * come from 64-bit traces (2016 syn-largemem asks for up to 36.5 GB).
 */
export function exceedsSizeT(op: Op): boolean {
  return op.kind !== 'f' && requestBytes(op) > SIZE_MAX;
}

/**
 * Live payload bytes after each op follow malloclab semantics: a request over
 * SIZE_MAX gets NULL (so it adds nothing, and a failed realloc keeps the old
 * block), free(NULL) and frees of NULL results do nothing, and realloc of an
 * id that is not live is realloc(NULL, n).
 */
export function traceStats(trace: Trace): TraceStats {
  // Indexed by id: a Map whose size hovers around a rehash threshold (real
  // traces do) shrinks and grows again and again, which made this quadratic.
  const live: (number | undefined)[] = [];
  const ids = new Set<number>();
  const counts: Record<Op['kind'], number> = { a: 0, f: 0, r: 0, c: 0 };
  let livePayload = 0;
  let peakPayload = 0;
  let maxRequest = 0;
  let oversized = 0;
  for (const op of trace.ops) {
    counts[op.kind]++;
    if (op.id >= 0) ids.add(op.id);
    if (op.kind === 'f') {
      if (op.id >= 0) {
        livePayload -= live[op.id] ?? 0;
        live[op.id] = undefined;
      }
      continue;
    }
    const bytes = requestBytes(op);
    maxRequest = Math.max(maxRequest, bytes);
    if (bytes > SIZE_MAX) {
      oversized++;
      continue; // NULL: nothing changes, a realloc's old block stays
    }
    livePayload += bytes - (live[op.id] ?? 0);
    live[op.id] = bytes;
    peakPayload = Math.max(peakPayload, livePayload);
  }
  return { ops: trace.ops.length, ids: ids.size, peakPayload, maxRequest, oversized, counts };
}
