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

export interface ValidatedOps {
  /** Highest id used, -1 when none. */
  maxId: number;
  /** Peak live requested bytes counting oversized requests as served (what 2016 headers state). */
  rawPeak: number;
  /** Indices of ops whose request exceeds a 32-bit size_t. */
  oversized: number[];
}

/**
 * An id's state, one small integer (no object per op: a workload trace has 60,000 ops):
 * line * 4 + LIVE or FREED, with the line it became so on; MAYBE after realloc(p, 0) or a
 * request that gets NULL, when free and reuse are both fine; undefined before its first use.
 */
const LIVE = 1;
const FREED = 2;
const MAYBE = 3;

export function validateOps(ops: readonly Op[], lines: readonly number[], problems: ProblemList): ValidatedOps {
  // Arrays indexed by id, not Maps: see traceStats for the Map pathology.
  const ids: (number | undefined)[] = [];
  const sizes: (number | undefined)[] = [];
  let maxId = -1;
  let live = 0;
  let rawPeak = 0;
  const oversized: number[] = [];
  for (let index = 0; index < ops.length; index++) {
    const op = ops[index]!;
    const line = lines[index]!;
    maxId = Math.max(maxId, op.id);
    if (op.id < 0) continue; // f -1: free(NULL)
    const state = ids[op.id];
    if (op.kind === 'f') {
      if (state === undefined) problems.add(line, `free of id ${op.id} which was never allocated: allocate it first or remove this line`);
      else if ((state % 4) === FREED) {
        problems.add(line, `double free: id ${op.id} was already freed on line ${Math.floor(state / 4)}; remove one of the frees`);
      } else ids[op.id] = line * 4 + FREED;
      live -= sizes[op.id] ?? 0;
      sizes[op.id] = undefined;
      continue;
    }
    if (op.kind !== 'r' && state !== undefined && (state % 4) === LIVE) {
      problems.add(
        line,
        `allocation into id ${op.id}, which is still live (allocated on line ${Math.floor(state / 4)}): ` +
          `free it first or use an unused id`,
      );
    }
    const bytes = requestBytes(op);
    if (bytes > SIZE_MAX) oversized.push(index);
    const mayBeNull = bytes > SIZE_MAX || (op.kind === 'r' && bytes === 0 && state !== undefined && (state % 4) === LIVE);
    ids[op.id] = mayBeNull ? MAYBE : line * 4 + LIVE;
    live += bytes - (sizes[op.id] ?? 0);
    sizes[op.id] = bytes;
    rawPeak = Math.max(rawPeak, live);
  }
  return { maxId, rawPeak, oversized };
}
