/**
 * A checked replay that lets observers look at the checker after every
 * operation: the timeline recorder and the placement comparison both read
 * the live blocks as the trace goes, from one replay.
 */
import { Checker } from '../checker/checker.ts';
import { resolveCheckerOptions } from '../checker/options.ts';
import type { Violation } from '../checker/violation.ts';
import type { AllocatorInstance, LoadedSubmission } from '../contract/instance.ts';
import type { CheckedHeap } from '../heap/checked-heap.ts';
import type { Op } from '../trace/types.ts';
import { instanceOf, type ReplayTarget } from './snapshot.ts';

export interface StepObserver {
  /** Before op i is applied (the checker still shows the old state). */
  before?(op: Op, i: number, checker: Checker): void;
  /** After op i was applied without a violation. */
  after(op: Op, i: number, checker: Checker, heap: CheckedHeap): void;
}

export interface ObservedReplay {
  /** Operations applied without a violation. */
  ops: number;
  violation: Violation | null;
  checker: Checker;
  heap: CheckedHeap;
}

/** Replays every op (then the final sweep) under the checker; stops at the first violation. */
export function replayObserved(
  source: LoadedSubmission | AllocatorInstance,
  ops: readonly Op[],
  target: ReplayTarget,
  observers: readonly StepObserver[],
): ObservedReplay {
  const { heap, allocator } = instanceOf(source, target);
  const checker = new Checker(heap, allocator, resolveCheckerOptions(target.checker), undefined);
  let violation: Violation | null = null;
  let i = 0;
  for (; i < ops.length; i++) {
    const op = ops[i]!;
    for (const o of observers) o.before?.(op, i, checker);
    violation = checker.step(op, i);
    if (violation) break;
    for (const o of observers) o.after(op, i, checker, heap);
  }
  if (!violation) violation = checker.finish(ops.length);
  return { ops: checker.stats.ops, violation, checker, heap };
}
