/** Best fit: the smallest free block that is big enough (the whole list is searched unless a block fits exactly). */
import type { AllocatorFactory } from '../../harness/contract/types.ts';
import { createPlacementAllocator, type Placement } from './explicit-list.ts';

export const bestFit: Placement = (list, asize) => {
  let best = 0;
  let bestSize = Infinity;
  for (let bp = list.head; bp !== 0; bp = list.next(bp)) {
    const size = list.size(bp);
    if (size >= asize && size < bestSize) {
      best = bp;
      bestSize = size;
      if (size === asize) break;
    }
  }
  return best;
};

export const createAllocator: AllocatorFactory = (heap) => createPlacementAllocator(heap, bestFit);
export default createAllocator;
