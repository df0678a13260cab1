/**
 * Step budgets: how much metered work one allocator call may do before it is
 * a `timeout` at that call. Counted work, not seconds, so the verdict is the
 * same on every machine and under any load. C counts WebAssembly
 * instructions (harness/meter/wasm-pass.ts); TypeScript counts steps: a meter
 * tick at every function entry and loop iteration (harness/meter/ts-transform.ts)
 * plus the heap work the trusted heap port counts (heapCost, harness/contract/checked-heap.ts).
 */
import type { MeterUnit, StepBudget } from '../contract/meter.ts';

/**
 * Why these numbers: the costliest call of the kit's suite for an O(n)
 * allocator (an implicit list walking ~100,000 blocks in the off-heap check,
 * or a realloc moving 64 MiB) stays below 1 % of them (BENCHMARKS.md,
 * "worst call"), while an endless loop still runs out in about a second of
 * CPU on this machine.
 */
export const DEFAULT_STEP_BUDGET: StepBudget = { c: 1_000_000_000, ts: 200_000_000 };

/**
 * Steps a TypeScript module may take while it loads (its top-level code and
 * reading its exports): far more than any table an allocator sets up, and an
 * endless loop at the top level ends in a fraction of a second.
 */
export const LOAD_STEP_BUDGET = 20_000_000;

/** The largest C budget: the instruction counter is a signed 32-bit global. */
export const MAX_C_BUDGET = 2 ** 31 - 1;

/** A call ran out of its step budget: the checker reports it as a `timeout` at that call. */
export class BudgetExceededError extends Error {
  readonly code = 'HEAPGRADE_STEP_BUDGET';
  constructor(
    readonly budget: number,
    readonly unit: MeterUnit,
    /** Where it was spinning: the C function (name section) or the TypeScript frame, when known. */
    readonly where?: string,
    /** That line of the student's source, quoted (`  73 |   for (;;) {}`), when known. */
    readonly source?: string,
  ) {
    super(`ran out of its budget of ${groupDigits(budget)} ${unit}${where ? ` in ${where}` : ''}`);
    this.name = 'BudgetExceededError';
  }
}

/** 1000000 -> "1,000,000" (toLocaleString is tamed under lockdown). */
export function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
