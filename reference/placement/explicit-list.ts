/**
 * The placement family's shared allocator: the textbook explicit free list.
 * first-fit, next-fit, best-fit and worst-fit use this same block format,
 * coalescing and splitting; only the `Placement` that picks a free block
 * differs, so their scores differ by placement alone.
 *
 * Every block has a header and a footer (size | allocated bit), so both
 * neighbours are reachable in O(1). Free blocks hold the list links in their
 * payload: next at bp, prev at bp + 4. The list is LIFO.
 *
 *   [hdr size|a][payload or next,prev ...][ftr size|a]
 */
import { SIZE_MAX, type Allocator, type Heap, type Ptr } from '../../harness/contract/types.ts';
import { checkExplicitHeap } from './check.ts';

const WORD = 4;
const ALIGN = 16;
/** header + next + prev + footer */
export const MIN_BLOCK = 16;
const MAX_BLOCK = 0xffff_fff0;
const ALLOC = 1;

/** What a placement policy sees of the free list. */
export interface FreeListView {
  /** First free block (payload address), 0 when the list is empty. */
  readonly head: Ptr;
  /** Where the last search stopped (next-fit resumes there); 0 or a listed block. */
  readonly rover: Ptr;
  /** The block after bp in the list, 0 at the end. */
  next(bp: Ptr): Ptr;
  /** Size of the free block bp, header and footer included. */
  size(bp: Ptr): number;
}

/** Picks a free block of at least `asize` bytes, or 0 when none fits. */
export type Placement = (list: FreeListView, asize: number) => Ptr;

export function blockSizeFor(size: number): number {
  const a = Math.ceil((size + 2 * WORD) / ALIGN) * ALIGN;
  if (!(a <= MAX_BLOCK)) return 0; // cannot fit a 32-bit header: larger than any heap
  return Math.max(a, MIN_BLOCK);
}

export function createPlacementAllocator(heap: Heap, placement: Placement): Allocator {
  const h = heap;
  let head: Ptr = 0;
  let rover: Ptr = 0;
  /** Payload address of the first block; 0 until the prologue is written. */
  let first: Ptr = 0;

  const sizeAt = (bp: Ptr): number => h.load32(bp - WORD) & ~(ALIGN - 1);
  const isFree = (bp: Ptr): boolean => (h.load32(bp - WORD) & ALLOC) === 0;
  const view: FreeListView = {
    get head() {
      return head;
    },
    get rover() {
      return rover;
    },
    next: (bp) => h.load32(bp),
    size: sizeAt,
  };

  function tag(bp: Ptr, size: number, alloc: number): void {
    h.store32(bp - WORD, size | alloc);
    h.store32(bp + size - 2 * WORD, size | alloc);
  }

  function listInsert(bp: Ptr): void {
    h.store32(bp, head);
    h.store32(bp + WORD, 0);
    if (head !== 0) h.store32(head + WORD, bp);
    head = bp;
  }

  function listRemove(bp: Ptr): void {
    const next = h.load32(bp);
    const prev = h.load32(bp + WORD);
    if (prev !== 0) h.store32(prev, next);
    else head = next;
    if (next !== 0) h.store32(next + WORD, prev);
    if (rover === bp) rover = next;
  }

  /** Prologue footer and epilogue header, padded so the first payload is 16-aligned. */
  function setUp(): boolean {
    const start = h.brk;
    const pad = (ALIGN - ((start + 2 * WORD) % ALIGN)) % ALIGN;
    if (h.sbrk(pad + 2 * WORD) === -1) return false;
    h.store32(start + pad, ALLOC); // prologue footer: "the block before the first is allocated"
    h.store32(start + pad + WORD, ALLOC); // epilogue header (size 0)
    first = start + pad + 2 * WORD;
    return true;
  }

  /** Marks [bp, bp + size) free, merges it with free neighbours and lists it. */
  function release(bp: Ptr, size: number): void {
    let start = bp;
    let total = size;
    const next = bp + size;
    if (isFree(next) && sizeAt(next) > 0) {
      listRemove(next);
      total += sizeAt(next);
    }
    if ((h.load32(bp - 2 * WORD) & ALLOC) === 0) {
      const prevSize = h.load32(bp - 2 * WORD) & ~(ALIGN - 1);
      start = bp - prevSize;
      listRemove(start);
      total += prevSize;
    }
    tag(start, total, 0);
    listInsert(start);
  }

  /** Allocates the first `asize` bytes of the unlisted block [bp, bp + size), splitting off the rest. */
  function occupy(bp: Ptr, size: number, asize: number): void {
    if (size - asize >= MIN_BLOCK) {
      tag(bp, asize, ALLOC);
      release(bp + asize, size - asize);
    } else tag(bp, size, ALLOC);
  }

  function malloc(size: number): Ptr {
    if (first === 0 && !setUp()) return 0;
    const asize = blockSizeFor(size);
    if (asize === 0) return 0;
    const found = placement(view, asize);
    if (found !== 0) {
      rover = found;
      listRemove(found);
      occupy(found, sizeAt(found), asize);
      return found;
    }
    // Extend the heap by what is missing, reusing a free block at its end.
    const oldBrk = h.brk;
    const lastWord = h.load32(oldBrk - 2 * WORD);
    const lastFree = (lastWord & ALLOC) === 0 ? lastWord & ~(ALIGN - 1) : 0;
    // Every placement searches the whole list, so lastFree < asize here; a
    // non-positive increment would shrink the heap under a live block.
    if (lastFree >= asize || h.sbrk(asize - lastFree) === -1) return 0;
    const bp = oldBrk - lastFree;
    if (lastFree > 0) listRemove(bp);
    tag(bp, asize, ALLOC);
    h.store32(h.brk - WORD, ALLOC);
    return bp;
  }

  function free(bp: Ptr): void {
    if (bp !== 0) release(bp, sizeAt(bp));
  }

  function realloc(bp: Ptr, size: number): Ptr {
    if (bp === 0) return malloc(size);
    if (size === 0) {
      free(bp);
      return 0;
    }
    const asize = blockSizeFor(size);
    if (asize === 0) return 0;
    const cur = sizeAt(bp);
    if (asize <= cur) {
      if (cur - asize >= MIN_BLOCK) occupy(bp, cur, asize); // shrink in place
      return bp;
    }
    const next = bp + cur;
    const nextSize = sizeAt(next);
    if (nextSize > 0 && isFree(next) && cur + nextSize >= asize) {
      listRemove(next); // grow into the free block that follows
      occupy(bp, cur + nextSize, asize);
      return bp;
    }
    const moved = malloc(size);
    if (moved === 0) return 0; // the old block stays valid
    h.copy(moved, bp, Math.min(cur - 2 * WORD, size));
    free(bp);
    return moved;
  }

  function calloc(count: number, size: number): Ptr {
    const total = count * size;
    if (total > SIZE_MAX) return 0;
    const bp = malloc(total);
    if (bp !== 0) h.fill(bp, 0, total); // a reused block holds old data and list links
    return bp;
  }

  return { malloc, free, calloc, realloc, check: () => (first === 0 ? [] : checkExplicitHeap(h, first, head, rover)) };
}
