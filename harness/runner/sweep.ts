/**
 * Longest repro replayed with a sweep after every op (the cost is ops x live
 * blocks), by the check runner and by `heapgrade trace`. Apart from
 * check-runner.ts, so that `trace`'s main thread reads it without loading the
 * check runner and the property search (fast-check) with it.
 */
export const EXACT_SWEEP_MAX_OPS = 400;
