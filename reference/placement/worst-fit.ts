/**
 * Worst fit: the largest free block, on the theory that what is left after
 * splitting it stays big enough to be useful. Usually the worst of the four
 * for fragmentation, which is the lesson.
 */
import type { AllocatorFactory } from '../../harness/contract/types.ts';
import { createPlacementAllocator, type Placement } from './explicit-list.ts';

export const worstFit: Placement = (list, asize) => {
  let worst = 0;
  let worstSize = asize - 1;
  for (let bp = list.head; bp !== 0; bp = list.next(bp)) {
    const size = list.size(bp);
    if (size > worstSize) {
      worst = bp;
      worstSize = size;
    }
  }
  return worst;
};

export const createAllocator: AllocatorFactory = (heap) => createPlacementAllocator(heap, worstFit);
export default createAllocator;
