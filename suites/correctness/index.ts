import { alignment, freeNull, hugeBlocks, longLivedIntegrity, randomChurn, tinyBlocks, zeroSize } from './basic.ts';
import { callocDirty, callocOverflow } from './calloc.ts';
import type { CorrectnessCheck } from '../../harness/checker/check.ts';
import { exhaustion, reallocAtLimit } from './limits.ts';
import { offHeapMetadata } from './off-heap.ts';
import { propertySearch } from './property.ts';
import { reallocBasics } from './realloc.ts';

/** The correctness suite, in the order it runs and reports. Default points add up to 100. */
export const CHECKS: readonly CorrectnessCheck[] = [
  alignment,
  zeroSize,
  freeNull,
  randomChurn,
  longLivedIntegrity,
  callocDirty,
  callocOverflow,
  reallocBasics,
  exhaustion,
  reallocAtLimit,
  tinyBlocks,
  hugeBlocks,
  offHeapMetadata,
  propertySearch,
];

export function findCheck(name: string): CorrectnessCheck | undefined {
  return CHECKS.find((c) => c.name === name);
}
