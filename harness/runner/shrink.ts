/**
 * Delta debugging over a failing trace: remove chunks of operations, then
 * single operations, as long as the same violation kind still happens. The
 * checker tolerates a free or realloc of an id whose malloc was removed
 * (it becomes free(NULL) / realloc(NULL, n)), so every subsequence is a
 * valid trace.
 */
import type { ViolationKind } from '../checker/violation.ts';
import type { Op } from '../trace/types.ts';

export interface ShrinkOptions {
  /** Returns the violation kind the candidate produces, or null when it passes. */
  run(ops: readonly Op[]): ViolationKind | null;
  kind: ViolationKind;
  /** Wall-clock budget; the best trace so far is returned when it runs out. */
  deadline: number;
}

export function shrinkTrace(ops: readonly Op[], options: ShrinkOptions): Op[] {
  let best = [...ops];
  const fails = (cand: Op[]): boolean => options.run(cand) === options.kind;
  let chunks = 2;
  while (best.length > 1 && Date.now() < options.deadline) {
    const size = Math.ceil(best.length / chunks);
    let removed = false;
    for (let start = 0; start < best.length && Date.now() < options.deadline; start += size) {
      const cand = [...best.slice(0, start), ...best.slice(start + size)];
      if (cand.length > 0 && fails(cand)) {
        best = cand;
        removed = true;
        start -= size; // the next chunk now sits at `start`
      }
    }
    if (size === 1 && !removed) break;
    chunks = removed ? Math.max(2, chunks - 1) : Math.min(best.length, chunks * 2);
  }
  return best;
}
