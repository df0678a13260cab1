/** The wall-clock backstops and what their firing means (a kit error with its evidence), one wording for every front end. */

/** Printed this much during the stalled call, the call was busy printing: say so instead of "endless loop". */
export const BUSY_PRINTING_BYTES = 16 * 1024;

export interface StallContext {
  /** Bytes the allocator printed during the stalled call (what the watchdog saw). */
  printedBytes?: number;
  /** The check measures off-heap memory: `op` counts live blocks (or is negative while warming up), not trace operations. */
  offHeap?: boolean;
}

const formatKiB = (b: number): string => (b >= 1 << 20 ? `${(b / (1 << 20)).toFixed(1)} MiB` : `${Math.round(b / 1024)} KiB`);

/** One stop of a call by the wall-clock backstop: the call in flight and how long it had run. */
export interface BackstopStop {
  /** The progress cell: the op index, or negative while making the allocator. */
  op: number;
  elapsedMs: number;
  /** Bytes the allocator printed during the stopped call. */
  printedBytes?: number;
}

/**
 * A call the wall-clock backstop stopped twice (the check was retried once, in
 * a fresh worker) is the kit's problem, not the student's: the step budget
 * is the per-call limit and it had not run out, so the time went where the
 * meter cannot see, or to a machine too busy to run the call. The result is
 * a kit error with this evidence, never a `fail`.
 */
export function callBackstopError(stops: readonly BackstopStop[], limitMs: number, budget: { c: number; ts: number }, context: StallContext = {}): string {
  const what = (op: number): string => (context.offHeap ? 'a malloc or free while off-heap-metadata measured memory' : op < 0 ? 'making the allocator (the factory or mm_init)' : `operation #${op}`);
  const each = stops.map((s, i) => {
    const printed = (s.printedBytes ?? 0) >= BUSY_PRINTING_BYTES ? `, printing ${formatKiB(s.printedBytes!)} meanwhile` : '';
    return `run ${i + 1}: ${what(s.op)} stopped after ${s.elapsedMs} ms${printed}`;
  });
  return (
    `the wall-clock backstop (${limitMs} ms per call) stopped a call ${stops.length === 1 ? 'once' : `${stops.length} times`} (${each.join('; ')}) ` +
    `before its step budget ran out (${budget.ts} TypeScript steps / ${budget.c} C instructions per call, which decides a timeout): ` +
    'the time went where the meter does not count or to a machine too busy to run it, so this is a heapgrade problem, not a verdict on your allocator'
  );
}

/**
 * Loading stopped twice by the wall-clock backstop (retried once, in a fresh
 * worker): what limits loading is metered (a TypeScript module's top level
 * and createAllocator run under step budgets, a C compile under the
 * compiler's CPU time), so the clock stopping it is the kit's problem.
 */
export function loadBackstopError(elapsedMs: readonly number[], limitMs: number): string {
  return (
    `the wall-clock backstop (${limitMs / 1000} s to load) stopped loading the submission ${elapsedMs.length === 1 ? 'once' : `${elapsedMs.length} times`} ` +
    `(${elapsedMs.map((ms, i) => `run ${i + 1} after ${ms} ms`).join('; ')}) before the limits that decide a load failure ran out ` +
    '(the module\'s top level and createAllocator run under step budgets, a C compile under its CPU-time limit): ' +
    'the machine was too busy to load it, so this is a heapgrade problem, not a verdict on your allocator'
  );
}

/**
 * A whole check stopped twice by its wall-clock backstop: each of its calls
 * is bounded by the step budget, so the check's limit is the sum of its
 * calls' budgets and no call had run out; the clock stopping it is the kit's problem.
 */
export function checkBackstopError(stops: readonly BackstopStop[], limitMs: number, budget: { c: number; ts: number }): string {
  const each = stops.map((s, i) => `run ${i + 1}: stopped at ${s.op < 0 ? 'the factory' : `operation #${s.op}`} after ${s.elapsedMs} ms`);
  return (
    `the wall-clock backstop of the whole check (${limitMs / 1000} s) stopped it ${stops.length === 1 ? 'once' : `${stops.length} times`} (${each.join('; ')}) ` +
    `while every call stayed within its step budget (${budget.ts} TypeScript steps / ${budget.c} C instructions per call, which decides a timeout): ` +
    'the machine was too busy to finish the check, so this is a heapgrade problem, not a verdict on your allocator'
  );
}

/**
 * The wall-clock backstop fired twice on the same work: the kit's error
 * (its message is the evidence), never the submission's failure. Thrown by
 * the trace replayer; `grade` makes it the workload's `error`, `heapgrade
 * trace` the row's.
 */
export class BackstopError extends Error {
  override name = 'BackstopError';
}

/** Wall-clock backstop for one allocator call (the step budget is the real limit; this catches only what metering cannot see). A configuration's `callTimeoutMs` overrides it. */
export const DEFAULT_CALL_TIMEOUT_MS = 30_000;

/** How long loading a submission may take (a cold C compile included) before it counts as a hang at load time. */
export const LOAD_TIMEOUT_MS = 120_000;
