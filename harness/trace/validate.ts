/**
 * The id rules of a trace, checked in order. An id names one block at a
 * time; malloclab traces may reuse an id after its block is freed.
 *
 * Errors: free of an id never allocated, a second free of the same block,
 * and `a`/`c` into an id whose block is still live (the old block would leak
 * in the trace's own bookkeeping, which is always a mistake in the file).
 * Tolerated: `r` on an unseen or freed id (realloc(NULL, n)), and anything
 * after an op whose result may legitimately be NULL or freed (realloc(p, 0),
 * an oversized request): the id may or may not be live then.
 */
import { SIZE_MAX } from '../contract/types.ts';
import type { ProblemList } from './problems.ts';
import { requestBytes } from './stats.ts';
import type { Op } from './types.ts';

export interface LinedOp {
  readonly op: Op;
  readonly line: number;
}

export interface ValidatedOps {
  /** Highest id used, -1 when none. */
  maxId: number;
  /** Peak live requested bytes counting oversized requests as served (what 2016 headers state). */
  rawPeak: number;
  /** Indices of ops whose request exceeds a 32-bit size_t. */
  oversized: number[];
}

type IdState =
  | { readonly kind: 'live'; readonly line: number }
  | { readonly kind: 'freed'; readonly line: number }
  /** After realloc(p, 0) or a request that gets NULL: free and reuse are both fine. */
  | { readonly kind: 'maybe' };

export function validateOps(ops: readonly LinedOp[], problems: ProblemList): ValidatedOps {
  // Arrays indexed by id, not Maps: see traceStats for the Map pathology.
  const ids: (IdState | undefined)[] = [];
  const sizes: (number | undefined)[] = [];
  let maxId = -1;
  let live = 0;
  let rawPeak = 0;
  const oversized: number[] = [];
  ops.forEach(({ op, line }, index) => {
    maxId = Math.max(maxId, op.id);
    if (op.id < 0) return; // f -1: free(NULL)
    const state = ids[op.id];
    if (op.kind === 'f') {
      if (!state) problems.add(line, `free of id ${op.id} which was never allocated: allocate it first or remove this line`);
      else if (state.kind === 'freed') {
        problems.add(line, `double free: id ${op.id} was already freed on line ${state.line}; remove one of the frees`);
      } else ids[op.id] = { kind: 'freed', line };
      live -= sizes[op.id] ?? 0;
      sizes[op.id] = undefined;
      return;
    }
    if (op.kind !== 'r' && state?.kind === 'live') {
      problems.add(
        line,
        `allocation into id ${op.id}, which is still live (allocated on line ${state.line}): ` +
          `free it first or use an unused id`,
      );
    }
    const bytes = requestBytes(op);
    if (bytes > SIZE_MAX) oversized.push(index);
    const mayBeNull = bytes > SIZE_MAX || (op.kind === 'r' && bytes === 0 && state?.kind === 'live');
    ids[op.id] = mayBeNull ? { kind: 'maybe' } : { kind: 'live', line };
    live += bytes - (sizes[op.id] ?? 0);
    sizes[op.id] = bytes;
    rawPeak = Math.max(rawPeak, live);
  });
  return { maxId, rawPeak, oversized };
}
