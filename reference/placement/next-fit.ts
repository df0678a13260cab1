/**
 * Next fit: like first fit, but each search resumes where the last one
 * stopped (the rover) and wraps around once, spreading allocations over the
 * list instead of piling small splinters near its head.
 */
import type { AllocatorFactory } from '../../harness/contract/types.ts';
import { createPlacementAllocator, type Placement } from './explicit-list.ts';

export const nextFit: Placement = (list, asize) => {
  const start = list.rover !== 0 ? list.rover : list.head;
  for (let bp = start; bp !== 0; bp = list.next(bp)) if (list.size(bp) >= asize) return bp;
  for (let bp = list.head; bp !== start && bp !== 0; bp = list.next(bp)) if (list.size(bp) >= asize) return bp;
  return 0;
};

export const createAllocator: AllocatorFactory = (heap) => createPlacementAllocator(heap, nextFit);
export default createAllocator;
