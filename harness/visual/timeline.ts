/**
 * The heap over time, for the HTML report: every block's lifetime as a
 * rectangle [opStart, opEnd) x [ptr, ptr + size), and the heap extent and
 * live payload after every operation, downsampled so that a 100,000-op
 * trace embeds as a few hundred kilobytes.
 */
import type { Checker } from '../checker/checker.ts';
import type { Violation } from '../checker/violation.ts';
import type { AllocatorInstance, LoadedSubmission } from '../contract/instance.ts';
import type { CheckedHeap } from '../contract/checked-heap.ts';
import type { HeapSnapshot } from '../heap-map/types.ts';
import { describeOp, type Op, type Trace } from '../trace/types.ts';
import { downsampleRects, downsampleSeries, type TimelineRect } from './downsample.ts';
import { renderHeapMap } from '../heap-map/heap-map.ts';
import { replayObserved, type ObservedReplay, type StepObserver } from './observe.ts';
import { instanceOf, type ReplayTarget } from './snapshot.ts';

export type { TimelineRect } from './downsample.ts';

export interface TimelineOptions extends ReplayTarget {
  /** Most rectangles embedded; short-lived neighbours are merged beyond it. @default 6000 */
  maxRects?: number;
  /** Most points per curve (the max of each bucket is kept, so peaks survive). @default 2000 */
  maxPoints?: number;
}

export interface Timeline {
  name: string;
  /** Operations in the trace. */
  totalOps: number;
  /** Operations shown: up to and including the violating one, or all. */
  shownOps: number;
  base: number;
  peakHeap: number;
  peakPayload: number;
  /** peak payload / peak heap extent (0 when the heap never grew). */
  utilization: number;
  /** Block lifetimes; `a` is the offset from base. */
  rects: TimelineRect[];
  /** After op `op[k]`'s bucket: the highest heap extent (brk - base) and live payload in it. */
  series: { op: number[]; heap: number[]; live: number[] };
  /** How much was merged: blocks recorded, rectangles kept, points kept. */
  sampling: { blocks: number; rects: number; points: number; merged: boolean };
  violation?: Violation;
  /** The live blocks at the violation and the heap map drawn from them (plain text). */
  snapshot?: HeapSnapshot;
  heapMap?: string;
}

/** Records block lifetimes and the two curves; an observer for replayObserved. */
export class TimelineRecorder implements StepObserver {
  readonly rects: TimelineRect[] = [];
  readonly heap: number[] = [];
  readonly live: number[] = [];
  private readonly open = new Map<number, number>(); // id -> index in rects
  private ptrBefore: number | undefined;

  constructor(private readonly base: number) {}

  before(op: Op, _i: number, checker: Checker): void {
    this.ptrBefore = checker.ptrOf(op.id);
  }

  after(op: Op, i: number, checker: Checker, heap: CheckedHeap): void {
    const ptr = checker.ptrOf(op.id);
    const size = op.kind === 'f' ? 0 : op.kind === 'c' ? op.count * op.size : op.size;
    const current = this.open.get(op.id);
    // A realloc that kept its pointer and size (or failed) leaves the rectangle as it is.
    const unchanged = op.kind === 'r' && current !== undefined && ptr === this.ptrBefore && this.rects[current]!.n === size;
    if (unchanged) return this.sample(checker, heap);
    if (current !== undefined) this.close(op.id, i);
    if (ptr !== undefined && op.kind !== 'f' && size > 0) {
      this.open.set(op.id, this.rects.length);
      this.rects.push({ s: i, e: -1, a: ptr - this.base, n: size, id: op.id });
    }
    this.sample(checker, heap);
  }

  private sample(checker: Checker, heap: CheckedHeap): void {
    this.heap.push(heap.brk - heap.base);
    this.live.push(checker.stats.livePayload);
  }

  /** Closes every block still live at `end` (one past the last op shown). */
  finish(end: number): void {
    for (const id of [...this.open.keys()]) this.close(id, end);
  }

  private close(id: number, at: number): void {
    const k = this.open.get(id);
    if (k === undefined) return;
    this.rects[k]!.e = at;
    this.open.delete(id);
  }
}

export function recordTimeline(loaded: LoadedSubmission | AllocatorInstance, trace: Trace, options: TimelineOptions = {}): Timeline {
  const instance = instanceOf(loaded, options);
  const recorder = new TimelineRecorder(instance.heap.base);
  const run = replayObserved(instance, trace.ops, options, [recorder]);
  return buildTimeline(trace, run, recorder, options);
}

/** Turns a finished replay that a TimelineRecorder observed into a Timeline (downsampled). */
export function buildTimeline(trace: Trace, run: ObservedReplay, recorder: TimelineRecorder, options: TimelineOptions = {}): Timeline {
  const v = run.violation;
  const shownOps = v ? Math.min(trace.ops.length, v.op + 1) : trace.ops.length;
  // The violating op has no "after" state: repeat the last one so the curves reach it.
  while (recorder.heap.length < shownOps) {
    recorder.heap.push(recorder.heap.at(-1) ?? 0);
    recorder.live.push(recorder.live.at(-1) ?? 0);
  }
  recorder.finish(shownOps);
  const peakHeap = run.heap.stats.peakExtent;
  const peakPayload = run.checker.stats.peakPayload;
  const rects = downsampleRects(recorder.rects, shownOps, peakHeap, options.maxRects ?? 6000);
  const series = downsampleSeries(recorder.heap, recorder.live, options.maxPoints ?? 2000);
  const timeline: Timeline = {
    name: trace.name,
    totalOps: trace.ops.length,
    shownOps,
    base: run.heap.base,
    peakHeap,
    peakPayload,
    utilization: peakHeap > 0 ? Math.min(1, peakPayload / peakHeap) : 0,
    rects,
    series,
    sampling: { blocks: recorder.rects.length, rects: rects.length, points: series.op.length, merged: rects.length < recorder.rects.length },
  };
  if (v) {
    timeline.violation = v;
    // The checker still holds the live blocks as they were at the violation.
    const snapshot: HeapSnapshot = {
      base: run.heap.base,
      brk: run.heap.brk,
      blocks: run.checker.liveBlocks(),
      recent: recentCalls(trace.ops, shownOps - 1, 8, v.call && v.ptr !== undefined ? `${v.call} -> 0x${v.ptr.toString(16)}` : v.call),
    };
    timeline.snapshot = snapshot;
    timeline.heapMap = renderHeapMap(snapshot, { focus: v });
  }
  return timeline;
}

/** The last `n` calls up to op `last`, as `#i call`; the violating call (with its pointers) replaces the plain one. */
export function recentCalls(ops: readonly Op[], last: number, n: number, lastCall?: string): string[] {
  const out: string[] = [];
  for (let i = Math.max(0, last - n + 1); i <= last && i < ops.length; i++) {
    out.push(`#${i} ${i === last && lastCall ? lastCall : describeOp(ops[i]!)}`);
  }
  return out;
}
