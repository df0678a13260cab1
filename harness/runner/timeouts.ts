/** The violations the watchdogs record, one wording for every front end. */
import type { Violation } from '../checker/violation.ts';

/** Printed this much during the stalled call, the call was busy printing: say so instead of "endless loop". */
export const BUSY_PRINTING_BYTES = 16 * 1024;

export interface StallContext {
  /** Bytes the allocator printed during the stalled call (what the watchdog saw). */
  printedBytes?: number;
  /** The check measures off-heap memory: `op` counts live blocks (or is negative while warming up), not trace operations. */
  offHeap?: boolean;
}

const ENDLESS_LOOP_HINT =
  'An endless loop: a free list that became circular (a block inserted twice), a walk that never advances because a block size is 0, or a search that restarts forever.';

export function callTimeoutViolation(op: number, ms: number, context: StallContext = {}): Violation {
  const printed = context.printedBytes ?? 0;
  if (context.offHeap) {
    const when = op >= 0 ? `with ${op} live blocks` : 'while warming up';
    return {
      kind: 'timeout',
      op: -1,
      message: `while the kit measured its JavaScript memory (off-heap-metadata, ${when}), a malloc or free did not return within ${ms} ms`,
      hint: printed >= BUSY_PRINTING_BYTES ? busyPrintingHint(printed) : ENDLESS_LOOP_HINT,
    };
  }
  const what = op < 0 ? 'making the allocator (the factory or mm_init)' : `operation #${op}`;
  if (printed >= BUSY_PRINTING_BYTES) {
    return {
      kind: 'timeout',
      op,
      message: `${what} did not return within ${ms} ms; it printed ${formatKiB(printed)} meanwhile`,
      hint: busyPrintingHint(printed),
    };
  }
  return { kind: 'timeout', op, message: `${what} did not return within ${ms} ms`, hint: ENDLESS_LOOP_HINT };
}

function busyPrintingHint(printed: number): string {
  return (
    `The call printed ${formatKiB(printed)} before it was stopped, and printing is slow: a call that prints this much can outrun the limit without any endless loop ` +
    '(an endless loop that prints looks the same). Print less (only when something is wrong) and run again: if it still times out, it is a loop.'
  );
}

const formatKiB = (b: number): string => (b >= 1 << 20 ? `${(b / (1 << 20)).toFixed(1)} MiB` : `${Math.round(b / 1024)} KiB`);

export function checkTimeoutViolation(op: number, ms: number): Violation {
  return {
    kind: 'timeout',
    op,
    message: `the check did not finish within ${ms} ms (it was at operation #${op})`,
    hint: 'Every call returns, but slowly: look for a linear walk of the whole heap on every call.',
  };
}

/** Wall-clock backstop for one allocator call (the step budget is the real limit; this catches only what metering cannot see). A configuration's `callTimeoutMs` overrides it. */
export const DEFAULT_CALL_TIMEOUT_MS = 30_000;

/** How long loading a submission may take (a cold C compile included) before it counts as a hang at load time. */
export const LOAD_TIMEOUT_MS = 120_000;
