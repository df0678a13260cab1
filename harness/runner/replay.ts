/**
 * Replaying a trace on one allocator instance: under the full checker (for
 * correctness and utilization) or raw (for timing, with nothing but an
 * id -> pointer table between the trace and the allocator).
 */
import { Checker } from '../checker/checker.ts';
import type { CheckerOptions } from '../checker/options.ts';
import type { Violation } from '../checker/violation.ts';
import type { AllocatorInstance } from '../contract/instance.ts';
import type { HeapStats } from '../heap/checked-heap.ts';
import type { HeapSnapshot } from '../report/types.ts';
import { describeCalls, type Op } from '../trace/types.ts';

export interface ReplayOptions {
  checker: CheckerOptions;
  /** Shared cell the watchdog reads: the op index in flight. */
  progress?: Int32Array;
  /** Stop after this many ops (default: all). */
  upTo?: number;
  /** Take a heap snapshot when a violation happens. @default true */
  snapshot?: boolean;
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
  snapshot?: HeapSnapshot;
}

const RECENT_OPS = 8;

export function replayChecked(instance: AllocatorInstance, ops: readonly Op[], options: ReplayOptions): ReplayResult {
  const { heap, allocator } = instance;
  const checker = new Checker(heap, allocator, options.checker, options.progress);
  const n = Math.min(ops.length, options.upTo ?? ops.length);
  let violation: Violation | null = null;
  for (let i = 0; i < n && !violation; i++) violation = checker.step(ops[i]!, i);
  if (!violation && n === ops.length) violation = checker.finish(n);
  const peakHeap = heap.stats.peakExtent;
  const result: ReplayResult = {
    ops: checker.stats.ops,
    violation,
    peakPayload: checker.stats.peakPayload,
    peakHeap,
    utilization: peakHeap > 0 ? Math.min(1, checker.stats.peakPayload / peakHeap) : 0,
    stats: { ...heap.stats },
  };
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

/** Replays with no checking; what the throughput timer measures. */
export function replayRaw(instance: AllocatorInstance, ops: readonly Op[]): { peakHeap: number; nullCount: number } {
  const { allocator } = instance;
  const ptrs = new Map<number, number>();
  let nullCount = 0;
  for (const op of ops) {
    switch (op.kind) {
      case 'a': {
        const p = allocator.malloc(op.size);
        if (p === 0) nullCount++;
        ptrs.set(op.id, p);
        break;
      }
      case 'c': {
        const p = allocator.calloc(op.count, op.size);
        if (p === 0) nullCount++;
        ptrs.set(op.id, p);
        break;
      }
      case 'f':
        allocator.free(ptrs.get(op.id) ?? 0);
        ptrs.delete(op.id);
        break;
      case 'r': {
        const old = ptrs.get(op.id) ?? 0;
        const p = allocator.realloc(old, op.size);
        if (p === 0 && op.size > 0) nullCount++;
        else ptrs.set(op.id, p);
        if (p === 0 && op.size === 0) ptrs.delete(op.id);
        break;
      }
    }
  }
  return { peakHeap: instance.heap.stats.peakExtent, nullCount };
}
