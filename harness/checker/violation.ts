import type { Op } from '../trace/types.ts';

/** The violation kinds of DESIGN.md (stable: graders outside the repo match on them). */
export const VIOLATION_KINDS = [
  'misaligned',
  'out-of-heap',
  'overlap',
  'payload-corrupted',
  'calloc-not-zeroed',
  'calloc-overflow',
  'realloc-data-lost',
  'spurious-null',
  'segfault',
  'threw',
  'timeout',
  'off-heap-metadata',
  'heap-check-failed',
  /** A zero-size request answered against the configured malloc(0)/realloc(p, 0) policy. */
  'zero-size-policy',
  /** A trace (workload, `heapgrade trace`) needed memory the heap limit could hold and got NULL: mdriver's "mm_malloc failed". */
  'out-of-memory',
] as const;

export type ViolationKind = (typeof VIOLATION_KINDS)[number];

/** A broken rule, as data: reporters turn it into words and pictures. */
export interface Violation {
  kind: ViolationKind;
  /** Index of the trace operation (0-based); -1 before the first op (factory), ops.length after the last (final sweep). */
  op: number;
  /** The call as C, e.g. `b3 = realloc(b3=0x10040, 100)`. */
  call?: string;
  /** The pointer involved (returned, freed or corrupted block). */
  ptr?: number;
  /** The size involved (requested size of the block). */
  size?: number;
  /** The block id in the trace. */
  blockId?: number;
  /** Another block involved (the block overlapped, the block that was written into). */
  other?: { blockId: number; ptr: number; size: number };
  /** A specific address (fault address, first corrupted byte). */
  address?: number;
  /** Expected and actual bytes starting at `address` (at most 16). */
  expected?: number[];
  actual?: number[];
  message: string;
  /** What usually causes this, and what to look at. */
  hint?: string;
  /** The shortest trace found that reproduces it (set by the runner after shrinking); `op` then indexes into it. */
  repro?: Op[];
  /** Index of the op in the check's full trace where the violation was first found (before shrinking). */
  foundAt?: number;
  /**
   * How far `repro` was shrunk: 'minimal' (no call can be removed), 'out-of-time'
   * (the shortest found before the shrinking budget ran out) or 'not-shrunk'
   * (the calls up to a hang: replaying candidates would hang too). Absent: minimal.
   */
  shrink?: 'minimal' | 'out-of-time' | 'not-shrunk';
}
