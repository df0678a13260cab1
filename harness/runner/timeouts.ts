/** The violations the watchdogs record, one wording for every front end. */
import type { Violation } from '../checker/violation.ts';

export function callTimeoutViolation(op: number, ms: number): Violation {
  return {
    kind: 'timeout',
    op,
    message: op < 0 ? `making the allocator (the factory or mm_init) did not return within ${ms} ms` : `operation #${op} did not return within ${ms} ms`,
    hint: 'An endless loop: a free list that became circular (a block inserted twice), a walk that never advances because a block size is 0, or a search that restarts forever.',
  };
}

export function checkTimeoutViolation(op: number, ms: number): Violation {
  return {
    kind: 'timeout',
    op,
    message: `the check did not finish within ${ms} ms (it was at operation #${op})`,
    hint: 'Every call returns, but slowly: look for a linear walk of the whole heap on every call.',
  };
}

/** How long loading a submission may take (a cold C compile included) before it counts as a hang at load time. */
export const LOAD_TIMEOUT_MS = 120_000;
