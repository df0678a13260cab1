/**
 * The reference allocator: the bar that submissions are measured against.
 * Segregated free lists (exact classes for small sizes, powers of two above),
 * boundary tags with footers only on free blocks, immediate coalescing,
 * splitting, realloc in place and a calloc that zeroes only reused memory.
 * Block layout: reference/segregated/layout.ts and reference/README.md.
 */
import { SIZE_MAX, type Allocator, type AllocatorFactory, type Heap, type Ptr } from '../harness/contract/types.ts';
import { checkSegregatedHeap } from './segregated/check.ts';
import { SegregatedLists } from './segregated/free-lists.ts';
import * as layout from './segregated/layout.ts';

// Module-local copies: when this file is transpiled to CommonJS or by
// vitest's SSR transform, every use of an imported binding is a getter call.
const { ALIGN, ALLOC, MIN_BLOCK, PREV_ALLOC, WORD, blockSizeFor, sizeOf } = layout;

/** How many blocks of a range class a search compares before taking the best so far. */
const BEST_FIT_SCAN = 16;

class SegregatedAllocator {
  private readonly lists: SegregatedLists;
  /** Payload address of the first block; 0 until the heap is set up. */
  private first: Ptr = 0;
  /** Set by allocate(): payload bytes at or past this address came zeroed from sbrk. */
  private freshFrom: Ptr = 0;

  constructor(private readonly heap: Heap) {
    this.lists = new SegregatedLists(heap);
    this.setUp();
  }

  malloc(size: number): Ptr {
    return this.allocate(size);
  }

  free(bp: Ptr): void {
    if (bp === 0) return;
    const word = this.heap.load32(bp - WORD);
    this.release(bp, sizeOf(word), word & PREV_ALLOC);
  }

  calloc(count: number, size: number): Ptr {
    const total = count * size;
    if (total > SIZE_MAX) return 0;
    const bp = this.allocate(total);
    if (bp === 0) return 0;
    const dirtyEnd = Math.min(bp + total, this.freshFrom);
    if (dirtyEnd > bp) this.heap.fill(bp, 0, dirtyEnd - bp);
    return bp;
  }

  realloc(bp: Ptr, size: number): Ptr {
    if (bp === 0) return this.allocate(size);
    if (size === 0) {
      this.free(bp);
      return 0;
    }
    const asize = blockSizeFor(size);
    if (asize === 0) return 0; // larger than any heap: NULL, old block untouched
    const h = this.heap;
    const word = h.load32(bp - WORD);
    const cur = sizeOf(word);
    const prevBit = word & PREV_ALLOC;
    if (asize <= cur) {
      this.shrink(bp, cur, asize, prevBit);
      return bp;
    }
    const next = bp + cur;
    const nextWord = h.load32(next - WORD);
    const nextFree = (nextWord & ALLOC) === 0 ? sizeOf(nextWord) : 0;
    if (nextFree > 0 && cur + nextFree >= asize) {
      // Grow into the free block that follows.
      this.lists.remove(next, nextFree);
      this.occupy(bp, cur + nextFree, asize, prevBit);
      return bp;
    }
    const tail = next + nextFree; // the epilogue when this block (plus a free neighbour) ends the heap
    if (tail === h.brk && h.sbrk(asize - cur - nextFree) !== -1) {
      if (nextFree > 0) this.lists.remove(next, nextFree);
      h.store32(bp - WORD, asize | prevBit | ALLOC);
      h.store32(h.brk - WORD, ALLOC | PREV_ALLOC);
      return bp;
    }
    if (prevBit === 0) {
      // Slide down into the free block before, when it (with the one after) makes room.
      const prevSize = sizeOf(h.load32(bp - 2 * WORD));
      const avail = prevSize + cur + nextFree;
      if (avail >= asize) {
        const start = bp - prevSize;
        this.lists.remove(start, prevSize);
        if (nextFree > 0) this.lists.remove(next, nextFree);
        h.copy(start, bp, cur - WORD);
        this.occupy(start, avail, asize, PREV_ALLOC);
        return start;
      }
    }
    const moved = this.allocate(size);
    if (moved === 0) return 0;
    h.copy(moved, bp, Math.min(cur - WORD, size));
    this.release(bp, cur, prevBit);
    return moved;
  }

  check(): string[] {
    if (this.first === 0) return [];
    return checkSegregatedHeap(this.heap, this.first, this.lists);
  }

  /** Writes the initial epilogue so that the first payload is 16-aligned. */
  private setUp(): boolean {
    const h = this.heap;
    const start = h.brk;
    const pad = (ALIGN - ((start + WORD) % ALIGN)) % ALIGN;
    if (h.sbrk(pad + WORD) === -1) return false;
    h.store32(start + pad, ALLOC | PREV_ALLOC);
    this.first = start + pad + WORD;
    return true;
  }

  private allocate(size: number): Ptr {
    if (this.first === 0 && !this.setUp()) return 0;
    const asize = blockSizeFor(size);
    if (asize === 0) return 0;
    const h = this.heap;
    const found = this.lists.find(asize, BEST_FIT_SCAN);
    if (found !== 0) {
      const foundSize = sizeOf(h.load32(found - WORD));
      this.lists.remove(found, foundSize);
      this.occupy(found, foundSize, asize, PREV_ALLOC);
      this.freshFrom = h.brk;
      return found;
    }
    // Grow the heap by exactly what is missing: reuse a free block that ends the heap.
    const oldBrk = h.brk;
    const epilogue = h.load32(oldBrk - WORD);
    const lastFree = (epilogue & PREV_ALLOC) === 0 ? sizeOf(h.load32(oldBrk - 2 * WORD)) : 0;
    // find() searches exhaustively before giving up, so lastFree < asize; a
    // non-positive increment would shrink the heap under a live block.
    if (lastFree >= asize || h.sbrk(asize - lastFree) === -1) return 0;
    const bp = oldBrk - lastFree;
    let prevBit = PREV_ALLOC;
    if (lastFree > 0) {
      prevBit = h.load32(bp - WORD) & PREV_ALLOC;
      this.lists.remove(bp, lastFree);
    }
    h.store32(bp - WORD, asize | prevBit | ALLOC);
    h.store32(h.brk - WORD, ALLOC | PREV_ALLOC);
    this.freshFrom = oldBrk;
    return bp;
  }

  /** Allocates the first `asize` bytes of the unlisted block [bp, bp + size); the rest becomes free. */
  private occupy(bp: Ptr, size: number, asize: number, prevBit: number): void {
    const h = this.heap;
    if (size - asize >= MIN_BLOCK) {
      h.store32(bp - WORD, asize | prevBit | ALLOC);
      this.release(bp + asize, size - asize, PREV_ALLOC);
    } else {
      h.store32(bp - WORD, size | prevBit | ALLOC);
      const next = bp + size;
      h.store32(next - WORD, h.load32(next - WORD) | PREV_ALLOC);
    }
  }

  /** Shrinks an allocated block in place, freeing the tail when it is big enough to be a block. */
  private shrink(bp: Ptr, cur: number, asize: number, prevBit: number): void {
    if (cur - asize < MIN_BLOCK) return;
    this.heap.store32(bp - WORD, asize | prevBit | ALLOC);
    this.release(bp + asize, cur - asize, PREV_ALLOC);
  }

  /** Frees [bp, bp + size), merging with free neighbours, and lists the result. */
  private release(bp: Ptr, size: number, prevBit: number): void {
    const h = this.heap;
    let start = bp;
    let total = size;
    const next = bp + size;
    const nextWord = h.load32(next - WORD);
    if ((nextWord & ALLOC) === 0) {
      const nextSize = sizeOf(nextWord);
      this.lists.remove(next, nextSize);
      total += nextSize;
    }
    if (prevBit === 0) {
      const prevSize = sizeOf(h.load32(bp - 2 * WORD));
      start = bp - prevSize;
      this.lists.remove(start, prevSize);
      total += prevSize;
    }
    // No two free blocks touch, so the block before a free block is always allocated.
    h.store32(start - WORD, total | PREV_ALLOC);
    h.store32(start + total - 2 * WORD, total | PREV_ALLOC);
    const after = start + total;
    h.store32(after - WORD, h.load32(after - WORD) & ~PREV_ALLOC);
    this.lists.insert(start, total);
  }
}

/** The reference allocator's factory (a fresh allocator per heap, like mm_init). */
export const createAllocator: AllocatorFactory = (heap: Heap): Allocator => {
  const a = new SegregatedAllocator(heap);
  return {
    malloc: (size) => a.malloc(size),
    free: (ptr) => a.free(ptr),
    calloc: (count, size) => a.calloc(count, size),
    realloc: (ptr, size) => a.realloc(ptr, size),
    check: () => a.check(),
  };
};

export default createAllocator;
