/**
 * Placement strategies side by side: the same trace on several allocators
 * (the teaching first/next/best/worst fit, and submissions), as plain data
 * that `heapgrade compare` prints as a table and the HTML report draws.
 *
 * "Largest hole" is defined precisely as the largest gap between two
 * consecutive live payloads, counting base and brk as ends (so free space
 * at the end of the heap counts), measured right after the trace's last
 * allocating operation (malloc, calloc or realloc): a trailing clean-up of
 * frees would otherwise leave every allocator with one empty heap. The gap
 * includes a neighbour's header, so it overstates the free block by a few
 * bytes alike for every allocator.
 */
import type { Checker } from '../checker/checker.ts';
import type { Violation } from '../checker/violation.ts';
import type { LoadedSubmission } from '../contract/instance.ts';
import type { CheckedHeap } from '../contract/checked-heap.ts';
import { describeOp, type Op, type Trace } from '../trace/types.ts';
import { replayObserved, type StepObserver } from './observe.ts';
import { summarizeGaps, type GapSummary } from '../heap-map/segments.ts';
import { instanceOf } from './snapshot.ts';
import { buildTimeline, TimelineRecorder, type Timeline, type TimelineOptions } from './timeline.ts';

/** The teaching allocators every comparison starts with. */
export const PLACEMENT_ALLOCATORS = ['ref:first-fit', 'ref:next-fit', 'ref:best-fit', 'ref:worst-fit'] as const;

export interface CompareOptions extends TimelineOptions {
  /** Also record each allocator's timeline (for the HTML report). @default false */
  timelines?: boolean;
  /** Op after which holes are measured. @default the last allocating op */
  measureAt?: number;
}

export interface ComparisonRow {
  /** The submission as named: `ref:best-fit`, a path. */
  label: string;
  status: 'pass' | 'fail';
  /** Operations applied without a violation. */
  ops: number;
  utilization: number;
  peakPayload: number;
  peakHeap: number;
  /** malloc/calloc/realloc(NULL, n) requests of at least one byte answered with NULL (the heap limit was reached). */
  nulls: number;
  /** Gaps at the measuring point; absent when a violation came first. */
  gaps?: GapSummary;
  violation?: Violation;
  timeline?: Timeline;
}

export interface Comparison {
  trace: string;
  ops: number;
  /** Heap limit every allocator ran with. */
  limit: number;
  measuredAt: number;
  /** The call at the measuring point, e.g. `b9 = malloc(16384)`. */
  measuredOp: string;
  rows: ComparisonRow[];
}

/** Index of the last malloc/calloc/realloc, or the last op when there is none. */
export function lastAllocatingOp(ops: readonly Op[]): number {
  for (let i = ops.length - 1; i >= 0; i--) if (ops[i]!.kind !== 'f') return i;
  return ops.length - 1;
}

class PlacementMetrics implements StepObserver {
  nulls = 0;
  gaps: GapSummary | undefined;
  constructor(private readonly measureAt: number) {}

  after(op: Op, i: number, checker: Checker, heap: CheckedHeap): void {
    const bytes = op.kind === 'c' ? op.count * op.size : op.kind === 'f' ? 0 : op.size;
    if (bytes > 0 && checker.ptrOf(op.id) === undefined) this.nulls++;
    if (i === this.measureAt) this.gaps = summarizeGaps({ base: heap.base, brk: heap.brk, blocks: checker.liveBlocks(), recent: [] });
  }
}

export function compareAllocators(entries: readonly LoadedSubmission[], trace: Trace, options: CompareOptions = {}): Comparison {
  const measureAt = options.measureAt ?? lastAllocatingOp(trace.ops);
  const limit = options.limit ?? 64 * 1024 * 1024;
  const rows = entries.map((loaded): ComparisonRow => {
    const instance = instanceOf(loaded, { ...options, limit });
    const metrics = new PlacementMetrics(measureAt);
    const recorder = options.timelines ? new TimelineRecorder(instance.heap.base) : undefined;
    const run = replayObserved(instance, trace.ops, options, recorder ? [metrics, recorder] : [metrics]);
    const peakHeap = run.heap.stats.peakExtent;
    const row: ComparisonRow = {
      label: loaded.spec,
      status: run.violation ? 'fail' : 'pass',
      ops: run.ops,
      utilization: peakHeap > 0 ? Math.min(1, run.checker.stats.peakPayload / peakHeap) : 0,
      peakPayload: run.checker.stats.peakPayload,
      peakHeap,
      nulls: metrics.nulls,
    };
    if (metrics.gaps) row.gaps = metrics.gaps;
    if (run.violation) row.violation = run.violation;
    if (recorder) row.timeline = { ...buildTimeline(trace, run, recorder, options), name: `${trace.name} on ${loaded.spec}` };
    return row;
  });
  const op = trace.ops[measureAt];
  return {
    trace: trace.name,
    ops: trace.ops.length,
    limit,
    measuredAt: measureAt,
    measuredOp: op ? describeOp(op) : '(empty trace)',
    rows,
  };
}
