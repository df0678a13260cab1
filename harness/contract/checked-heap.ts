import type { CallMeter } from './meter.ts';
/**
 * What the checker needs from any heap, TypeScript-simulated or a wasm
 * module's memory: raw byte access (the checker's, never the allocator's),
 * the bounds, fault records and the counters that scores are made of.
 */
export interface HeapStats {
  sbrkCalls: number;
  sbrkFailures: number;
  /** High-water mark of brk - base. */
  peakExtent: number;
  /** Deterministic cost counters (TypeScript heaps; wasm leaves loads/stores at 0). */
  loads: number;
  stores: number;
  bytesMoved: number;
}

/**
 * The work the heap saw, as one number (the deterministic speed measure of
 * TypeScript allocators, harness/scoring/cost.ts): a word load or store
 * counts 1, a copy or fill 1 per 8 bytes (a memmove moves words, not bytes),
 * an sbrk call 1.
 */
export function heapCost(stats: HeapStats): number {
  return stats.loads + stats.stores + stats.bytesMoved / 8 + stats.sbrkCalls;
}

export interface SegfaultInfo {
  /** The faulting address (first byte of the access). */
  readonly address: number;
  /** Bytes the access covered. */
  readonly length: number;
  /** The access: load32, store8, copy, fill, ... or a wasm trap's description. */
  readonly access: string;
  /** Index of the trace operation in progress, -1 when none. */
  readonly op: number;
  /** For wasm traps: the C function that trapped, when known. */
  readonly where?: string;
  /** That line of the student's source, quoted, when known. */
  readonly source?: string;
}

export interface CheckedHeap {
  /** The instance's step meter (C instructions, TypeScript steps), when metered; the checker sets its per-call budget. */
  meter?: CallMeter;
  readonly base: number;
  readonly brk: number;
  /** Bytes the heap may grow to (brk - base never exceeds it). */
  readonly limit: number;
  readonly stats: HeapStats;
  /** The first simulated segfault since the last clearFault(), even if the allocator caught it. */
  readonly fault: SegfaultInfo | null;
  clearFault(): void;
  /** Trace operation in progress, stamped onto faults. */
  currentOp: number;
  /**
   * Raw bytes [addr, addr + n) for the checker; the caller has checked the
   * range lies in [base, brk). The view may be invalidated by the next sbrk.
   */
  view(addr: number, n: number): Uint8Array;
}

export function emptyStats(): HeapStats {
  return { sbrkCalls: 0, sbrkFailures: 0, peakExtent: 0, loads: 0, stores: 0, bytesMoved: 0 };
}
