/**
 * Delta debugging over a failing trace: remove chunks of operations, then
 * single operations, as long as the same violation kind still happens. The
 * checker tolerates a free or realloc of an id whose malloc was removed
 * (it becomes free(NULL) / realloc(NULL, n)), so every subsequence is a
 * valid trace.
 */
import type { ViolationKind } from '../checker/violation.ts';
import type { Op } from '../trace/types.ts';
import { denseIds } from '../trace/write.ts';

export interface ShrinkOptions {
  /** Returns the violation kind the candidate produces, or null when it passes. */
  run(ops: readonly Op[]): ViolationKind | null;
  kind: ViolationKind;
  /** Wall-clock budget; the best trace so far is returned when it runs out. */
  deadline: number;
  /** Block ids the violation names: the ops on them alone often reproduce it, at the cost of one replay. */
  ids?: readonly number[];
}

const TAIL = 64;

export interface ShrinkResult {
  ops: Op[];
  /** False when the deadline came first: `ops` is the shortest found, not a minimal trace. */
  complete: boolean;
}

export function shrinkTrace(ops: readonly Op[], options: ShrinkOptions): ShrinkResult {
  let best = [...ops];
  const fails = (cand: Op[]): boolean => options.run(cand) === options.kind;
  // Cheap guesses first: a quadratic allocator makes every replay of a long
  // prefix expensive, and most failures involve only a few blocks.
  const last = ops.length - 1;
  if (options.ids?.length && ops.length > 8) {
    const ids = new Set(options.ids);
    const only = ops.filter((op, i) => i === last || ids.has(op.id));
    const withTail = ops.filter((op, i) => i >= last - TAIL || ids.has(op.id));
    for (const cand of [only, withTail]) {
      if (Date.now() >= options.deadline) break;
      if (cand.length < best.length && fails(cand)) {
        best = cand;
        break;
      }
    }
  }
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
    if (size === 1 && !removed) return { ops: best, complete: true };
    chunks = removed ? Math.max(2, chunks - 1) : Math.min(best.length, chunks * 2);
  }
  return { ops: best, complete: best.length <= 1 };
}

/**
 * Makes a shrunk trace a clean .rep: ids numbered 0, 1, 2... in order of
 * first use, and a free of an id that is not live (its malloc was shrunk
 * away, or returned NULL) written as `f -1`, which is what it did.
 */
export function normalizeRepro(ops: readonly Op[]): Op[] {
  const live = new Set<number>();
  const out: Op[] = [];
  for (const op of ops) {
    if (op.kind === 'f') {
      if (!live.has(op.id)) {
        out.push({ kind: 'f', id: -1 });
        continue;
      }
      live.delete(op.id);
    } else live.add(op.id);
    out.push(op);
  }
  return [...denseIds(out)];
}
