import type { StepBudget } from '../contract/meter.ts';
import { DEFAULT_STEP_BUDGET } from '../meter/budget.ts';

/** What the checker enforces beyond the fixed rules. */
export interface CheckerOptions {
  /** Required alignment of every returned pointer. @default 16 */
  alignment: 8 | 16;
  /** malloc(0) (and calloc with a zero product): 'any' = NULL or a unique pointer. @default 'any' */
  malloc0: 'any' | 'null' | 'unique';
  /** realloc(p, 0): 'any' = free and return NULL, or return a minimal block. @default 'any' */
  realloc0: 'any' | 'free' | 'minimal';
  /** Call the allocator's own check() after every operation. @default false */
  checkHeap: boolean;
  /**
   * A complaint of check() is informative (the checks): the first is kept in
   * `Checker.heapCheckNote`, check() is not called again, and the run goes on
   * under the rules. False: it is a `heap-check-failed` violation that stops
   * the run (`heapgrade trace --check-heap`, a debugging tool). @default false
   */
  noteHeapCheck: boolean;
  /** Verify every live block after every N operations; 0 chooses adaptively. @default 0 */
  sweepEvery: number;
  /** Verify this one block (by trace id) after every operation, to find the op that corrupts it. @default -1 */
  watchBlock: number;
  /** Metered work one call may do before it is a `timeout` at that call. @default DEFAULT_STEP_BUDGET */
  stepBudget: StepBudget;
  /**
   * Rules noted nowhere and not stopped at, because another check is dedicated
   * to them (see CONTINUABLE_KINDS). Only kinds after which the allocator's
   * state is still well defined may be listed. @default []
   */
  tolerate: readonly ContinuableKind[];
  /**
   * Width of the submission's size_t: 64 under a 64-bit profile (memory64),
   * where no count * size of 32-bit trace values overflows, so calloc is
   * judged like malloc of the product (NULL required past the heap limit). @default 32
   */
  sizeTBits: 32 | 64;
  /**
   * Free a block whose allocation returned NULL as free(NULL), as C code
   * does. False under a profile whose handout never frees NULL (malloclab
   * 2002): the checker then leaves that call out; an explicit `f -1` is still made. @default true
   */
  freeNullOfFailed: boolean;
  /**
   * Make realloc(NULL, 0) calls. False under a profile whose handout leaves
   * them undefined (malloclab 2002: "ptr NULL is mm_malloc(size)" and "size 0
   * is mm_free(ptr)" meet there, and mm_free is guaranteed only for pointers it
   * returned): the checker leaves that call out, as the handout's driver never
   * makes it. @default true
   */
  reallocNullZero: boolean;
  /**
   * mdriver's rule for workloads and `heapgrade trace`: NULL for a request
   * the heap limit could hold fails the trace ("mm_malloc failed"), even
   * when sbrk ran out. @default false (the checks allow NULL when memory ran out)
   */
  nullFails: boolean;
}

/**
 * Violations after which the run can go on as if nothing happened: a calloc
 * that returned dirty memory, a realloc that lost bytes of the old payload
 * (the checker writes back what the block should hold and goes on) and a
 * misaligned pointer each still returned a valid block. A check that does not
 * target such a rule tolerates it and goes on checking its own rule, so that
 * the bug costs points only in the checks made for it, and a check keeps its
 * points only when its own rule held to the end of its trace (never because
 * it stopped early at someone else's bug).
 */
export const CONTINUABLE_KINDS = ['calloc-not-zeroed', 'realloc-data-lost', 'misaligned'] as const;
export type ContinuableKind = (typeof CONTINUABLE_KINDS)[number];

export const DEFAULT_CHECKER_OPTIONS: CheckerOptions = {
  alignment: 16,
  malloc0: 'any',
  realloc0: 'any',
  checkHeap: false,
  noteHeapCheck: false,
  sweepEvery: 0,
  watchBlock: -1,
  stepBudget: DEFAULT_STEP_BUDGET,
  tolerate: [],
  sizeTBits: 32,
  freeNullOfFailed: true,
  reallocNullZero: true,
  nullFails: false,
};

export function resolveCheckerOptions(partial: Partial<CheckerOptions> = {}): CheckerOptions {
  const o = { ...DEFAULT_CHECKER_OPTIONS };
  for (const [k, v] of Object.entries(partial)) if (v !== undefined) (o as Record<string, unknown>)[k] = v;
  if (o.alignment !== 8 && o.alignment !== 16) {
    throw new RangeError(`Expected \`alignment\` to be 8 or 16, got ${String(o.alignment)}`);
  }
  return o;
}
