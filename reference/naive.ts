/**
 * The seed's "silliest" allocator: every malloc takes new memory from sbrk
 * and free does nothing. Correct, and its utilization shows what never
 * reusing memory costs.
 *
 * Each block is a 16-byte header (the requested size in its last word, so
 * realloc knows how much to copy) followed by the payload.
 */
import { SIZE_MAX, type Allocator, type AllocatorFactory, type Heap, type Ptr } from '../harness/contract/types.ts';

const ALIGN = 16;
const HEADER = 16;

export const createAllocator: AllocatorFactory = (heap: Heap): Allocator => {
  function malloc(size: number): Ptr {
    // Pad the break so that the payload after the header is aligned.
    const pad = (ALIGN - (heap.brk % ALIGN)) % ALIGN;
    const total = pad + HEADER + Math.ceil(size / ALIGN) * ALIGN;
    if (total > SIZE_MAX) return 0; // larger than any heap; sbrk would refuse it too
    const old = heap.sbrk(total);
    if (old === -1) return 0;
    const bp = old + pad + HEADER;
    heap.store32(bp - 4, size);
    return bp;
  }

  function realloc(ptr: Ptr, size: number): Ptr {
    if (ptr === 0) return malloc(size);
    const moved = malloc(size);
    if (moved === 0) return 0; // the old block stays valid
    heap.copy(moved, ptr, Math.min(heap.load32(ptr - 4), size));
    return moved;
  }

  return {
    malloc,
    free: () => {},
    // Memory fresh from sbrk is zero, and this allocator never reuses memory.
    calloc: (count, size) => (count * size > SIZE_MAX ? 0 : malloc(count * size)),
    realloc,
  };
};

export default createAllocator;
