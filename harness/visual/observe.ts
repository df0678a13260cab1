/**
 * A checked replay that lets observers look at the checker after every
 * operation: the timeline recorder and the placement comparison both read
 * the live blocks as the trace goes, from one replay (replay/replay.ts's loop).
 */
import type { Checker } from '../checker/checker.ts';
import { resolveCheckerOptions } from '../checker/options.ts';
import type { Violation } from '../checker/violation.ts';
import type { AllocatorInstance, LoadedSubmission } from '../contract/instance.ts';
import type { CheckedHeap } from '../contract/checked-heap.ts';
import { replayLoop, type StepObserver } from '../replay/replay.ts';
import type { Op } from '../trace/types.ts';
import { instanceOf, type ReplayTarget } from './snapshot.ts';

export type { StepObserver };

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
  const run = replayLoop(instanceOf(source, target), ops, { checker: resolveCheckerOptions(target.checker), observers });
  return { ops: run.checker.stats.ops, violation: run.violation, checker: run.checker, heap: run.heap };
}
