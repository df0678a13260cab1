/**
 * Replaying a trace on one allocator instance: under the full checker (for
 * correctness and utilization) or raw (for timing, with nothing but an
 * id -> pointer table between the trace and the allocator).
 *
 * `replayLoop` is the ONE loop over the checker: the checks, `heapgrade
 * trace`, the grade's checked run, the timeline and placement comparison
 * (visual/observe.ts) and `heapgrade show` (visual/snapshot.ts) all step
 * through it, the visual ones with observers.
 */
import { applyOps } from './apply-ops.ts';
import { Checker } from '../checker/checker.ts';
import type { CheckerOptions } from '../checker/options.ts';
import type { CheckedHeap } from '../contract/checked-heap.ts';
import type { Violation } from '../checker/violation.ts';
import type { AllocatorInstance, OffHeapFinding } from '../contract/instance.ts';
import type { HeapStats } from '../contract/checked-heap.ts';
import type { HeapSnapshot } from '../heap-map/types.ts';
import { describeCalls, type Op } from '../trace/types.ts';

/** Looks at the checker around every operation of a replay (timelines, snapshots, comparisons). */
export interface StepObserver {
  /** Before op i is applied (the checker still shows the old state). */
  before?(op: Op, i: number, checker: Checker): void;
  /** After op i was applied without a violation. */
  after?(op: Op, i: number, checker: Checker, heap: CheckedHeap): void;
  /** Op i (or the final sweep, i = ops.length) broke a rule; the replay stops. */
  violated?(op: Op | undefined, i: number, violation: Violation, checker: Checker): void;
}

export interface LoopOptions {
  checker: CheckerOptions;
  /** Shared cell the watchdog reads: the op index in flight. */
  progress?: Int32Array;
  /** Stop after this many ops (default: all). */
  upTo?: number;
  /** Run the checker's final sweep when every op was applied. @default true */
  finish?: boolean;
  observers?: readonly StepObserver[];
}

export interface ReplayOptions extends LoopOptions {
  /** Take a heap snapshot when a violation happens. @default true */
  snapshot?: boolean;
}

export interface LoopResult {
  violation: Violation | null;
  checker: Checker;
  heap: CheckedHeap;
}

/** Steps the checker through `ops` on `instance`; stops at the first violation. */
export function replayLoop(instance: AllocatorInstance, ops: readonly Op[], options: LoopOptions): LoopResult {
  const { heap, allocator } = instance;
  const checker = new Checker(heap, allocator, options.checker, options.progress);
  const n = Math.min(ops.length, options.upTo ?? ops.length);
  const observers = options.observers ?? [];
  let violation: Violation | null = null;
  if (observers.length === 0) {
    // The hot path (every check and graded run): nothing but the checker.
    for (let i = 0; i < n && !violation; i++) violation = checker.step(ops[i]!, i);
  } else {
    for (let i = 0; i < n; i++) {
      const op = ops[i]!;
      for (const o of observers) o.before?.(op, i, checker);
      violation = checker.step(op, i);
      if (violation) {
        for (const o of observers) o.violated?.(op, i, violation, checker);
        break;
      }
      for (const o of observers) o.after?.(op, i, checker, heap);
    }
  }
  if (!violation && n === ops.length && options.finish !== false) {
    violation = checker.finish(n);
    if (violation) for (const o of observers) o.violated?.(undefined, n, violation, checker);
  }
  return { violation, checker, heap };
}

export interface ReplayResult {
  /** Operations applied without a violation. */
  ops: number;
  violation: Violation | null;
  peakPayload: number;
  peakHeap: number;
  /** peak live payload / peak heap extent (0 when the heap never grew). */
  utilization: number;
  stats: HeapStats;
  /** Metered work of the replay's allocator calls (C instructions, TypeScript steps); 0 when not metered. */
  steps: number;
  snapshot?: HeapSnapshot;
  /** The first complaint of the allocator's check(), when the checker only notes them. */
  heapCheck?: Violation;
  /** TypeScript: the instance kept tables outside the heap beyond the allowance (offheap/ledger.ts). */
  offHeap?: OffHeapFinding;
}

const RECENT_OPS = 8;

export function replayChecked(instance: AllocatorInstance, ops: readonly Op[], options: ReplayOptions): ReplayResult {
  const stepsBefore = instance.heap.meter?.total ?? 0;
  const { violation, checker, heap } = replayLoop(instance, ops, options);
  const peakHeap = heap.stats.peakExtent;
  const result: ReplayResult = {
    ops: checker.stats.ops,
    violation,
    peakPayload: checker.stats.peakPayload,
    peakHeap,
    utilization: peakHeap > 0 ? Math.min(1, checker.stats.peakPayload / peakHeap) : 0,
    stats: { ...heap.stats },
    steps: (heap.meter?.total ?? 0) - stepsBefore,
    ...(checker.heapCheckNote ? { heapCheck: checker.heapCheckNote } : {}),
  };
  const tables = instance.offHeapFinding?.();
  if (tables) result.offHeap = tables;
  if (violation && options.snapshot !== false) {
    const upTo = Math.min(violation.op, ops.length - 1);
    result.snapshot = {
      base: heap.base,
      brk: heap.brk,
      blocks: checker.liveBlocks(),
      // As the repro lists them: a realloc of a block not yet allocated is realloc(NULL, n).
      recent: describeCalls(ops.slice(0, upTo + 1))
        .slice(Math.max(0, upTo - RECENT_OPS + 1))
        .map((call, k, arr) => `#${upTo - arr.length + 1 + k} ${call}`),
    };
  }
  return result;
}

/** Replays with no checking (the unchecked loop, apply-ops.ts): the reference's metered cost, the benches' baseline. */
export function replayRaw(instance: AllocatorInstance, ops: readonly Op[]): { peakHeap: number; nullCount: number } {
  const { nullCount } = applyOps(instance, ops);
  return { peakHeap: instance.heap.stats.peakExtent, nullCount };
}
