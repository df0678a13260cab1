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

/** Wall-clock backstop for one allocator call (the step budget is the real limit; this catches only what metering cannot see). A configuration's `callTimeoutMs` overrides it. */
export const DEFAULT_CALL_TIMEOUT_MS = 30_000;

/** How long loading a submission may take (a cold C compile included) before it counts as a hang at load time. */
export const LOAD_TIMEOUT_MS = 120_000;
