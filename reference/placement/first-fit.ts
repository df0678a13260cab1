/** First fit: the first block on the free list that is big enough. Fast when a fit is near the head. */
import type { AllocatorFactory } from '../../harness/contract/types.ts';
import { createPlacementAllocator, type Placement } from './explicit-list.ts';

export const firstFit: Placement = (list, asize) => {
  for (let bp = list.head; bp !== 0; bp = list.next(bp)) if (list.size(bp) >= asize) return bp;
  return 0;
};

export const createAllocator: AllocatorFactory = (heap) => createPlacementAllocator(heap, firstFit);
export default createAllocator;
