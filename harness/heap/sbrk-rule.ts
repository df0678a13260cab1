import type { HeapStats } from '../contract/checked-heap.ts';

/**
 * The contract's sbrk accounting, shared by the TypeScript heap and the wasm
 * heap so both answer alike: counts the call, and returns the new extent
 * (brk - base), or -1 (counted as a failure, heap unchanged) when the
 * increment is not a whole number or would take the heap below its base or
 * past its limit. sbrk(0) returns the current extent.
 */
export function sbrkExtent(stats: HeapStats, extent: number, increment: number, limit: number): number {
  stats.sbrkCalls++;
  const next = extent + increment;
  if (!Number.isInteger(increment) || next < 0 || next > limit) {
    stats.sbrkFailures++;
    return -1;
  }
  return next;
}
