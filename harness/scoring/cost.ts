/**
 * The deterministic speed measure for TypeScript allocators: the work the
 * heap saw, counted by the heap itself. A word load or store counts 1, a
 * copy or fill counts 1 per 8 bytes (a memmove moves words, not bytes), an
 * sbrk call counts 1. The same trace on the same allocator always gives the
 * same number, on any machine.
 */
import { heapCost, type HeapStats } from '../contract/checked-heap.ts';

/** Ratios are capped so that reports stay finite (JSON has no Infinity); any cap above the threshold scores the same. */
export const MAX_RATIO = 100;

/** Cost per trace operation; 0 for an empty trace. */
export function costPerOp(stats: HeapStats, ops: number): number {
  return ops > 0 ? heapCost(stats) / ops : 0;
}

/**
 * Metered cost per operation: the instance meter's total over the replay
 * (C: WebAssembly instructions; TypeScript: meter ticks at function entries
 * and loop iterations plus the heap work above). Deterministic like heapCost.
 */
export function meteredCostPerOp(steps: number, ops: number): number {
  return ops > 0 ? steps / ops : 0;
}

/**
 * Speed relative to the reference by cost: reference cost / submission cost,
 * so 1 means as cheap as the reference and 0.5 twice as expensive. An
 * allocator that does no heap work at all (cost 0) is as fast as it gets.
 */
export function costRatio(referenceCostPerOp: number, submissionCostPerOp: number): number {
  if (submissionCostPerOp <= 0) return referenceCostPerOp > 0 ? MAX_RATIO : 1;
  return Math.min(MAX_RATIO, referenceCostPerOp / submissionCostPerOp);
}
