/**
 * Your memory allocator: malloc, free, calloc and realloc on an sbrk heap.
 *
 * What you start from works: every malloc takes new memory from sbrk and
 * free does nothing. It passes the correctness checks, but its utilization
 * score is terrible, because it never reuses memory. The numbered TODOs
 * below walk you from here to a real allocator, one step at a time. After
 * each step, run `npx heapgrade test allocator.ts`: every step must keep
 * passing before you start the next one.
 *
 * Rules (the checks enforce them):
 * - return pointers aligned to 16 bytes, inside [heap.base, heap.brk);
 * - never touch memory outside [heap.base, heap.brk): that is a segfault;
 * - never change the bytes of a block you handed out and that is not freed;
 * - when heap.sbrk returns -1, return 0 (NULL); never throw;
 * - keep per-block information (sizes, flags, free-list links) IN THE HEAP,
 *   with heap.load32/store32. A few numbers in variables are fine (a list
 *   head, the start of the heap), but no Map, array or object per block.
 */

// ---------------------------------------------------------------------------
// The contract between the kit and your allocator. Do not change it.
// ---------------------------------------------------------------------------

/** A byte address in the heap; 0 is NULL. */
export type Ptr = number;

export interface Heap {
  /** First address of the heap: non-zero, 4096-aligned, may differ between runs. */
  readonly base: Ptr;
  /** Current break: one past the last heap byte. */
  readonly brk: Ptr;
  /** Grows the heap by `increment` bytes (zeroed) and returns the old break, or -1 when the heap limit is reached. */
  sbrk(increment: number): Ptr | -1;
  load8(a: Ptr): number;
  load16(a: Ptr): number;
  /** Unsigned, little-endian. */
  load32(a: Ptr): number;
  store8(a: Ptr, v: number): void;
  store16(a: Ptr, v: number): void;
  store32(a: Ptr, v: number): void;
  /** memmove: copies n bytes from src to dst; the ranges may overlap. */
  copy(dst: Ptr, src: Ptr, n: number): void;
  /** memset: sets n bytes at dst to `byte`. */
  fill(dst: Ptr, byte: number, n: number): void;
}

export interface Allocator {
  malloc(size: number): Ptr;
  free(ptr: Ptr): void;
  calloc(count: number, size: number): Ptr;
  realloc(ptr: Ptr, size: number): Ptr;
  /** Your heap checker: [] when the heap is consistent, else what is wrong. */
  check?(): string[];
}

/** The largest size_t: sizes are 32-bit unsigned integers. */
const SIZE_MAX = 0xffff_ffff;
const ALIGNMENT = 16;

/** Rounds n up to a multiple of ALIGNMENT. */
function alignUp(n: number): number {
  return Math.ceil(n / ALIGNMENT) * ALIGNMENT;
}

// ---------------------------------------------------------------------------
// The road map. Do the steps in order; each one keeps every check passing.
//
// TODO 1 (block layout). Give every block a 4-byte header just before its
//   payload: the block size (a multiple of 16, header included) with the
//   "allocated" flag in bit 0, since the low 4 bits of a multiple of 16 are
//   always 0. Write three helpers: pack(size, allocated), sizeOf(bp) and
//   isAllocated(bp), where bp is the payload address and the header is at
//   bp - 4. Payloads must be 16-aligned, so the header sits at an address
//   that is 12 mod 16: start the heap with 12 bytes of padding.
//   Hint: `word & ~15` gives the size, `word & 1` the flag.
//
// TODO 2 (implicit free list, first fit). In the factory, sbrk the padding
//   and an "epilogue" header of size 0 marked allocated: it ends every walk.
//   malloc then walks the blocks from the first one (bp += sizeOf(bp))
//   and takes the first free block big enough; when none is, it grows the
//   heap with sbrk by the block size (the old epilogue becomes the new
//   block's header; write a new epilogue at the end). free(bp) now clears
//   the allocated flag. From this step on memory is reused, so calloc must
//   zero the payload itself (heap.fill): a reused block holds old data.
//
// TODO 3 (splitting). A 5000-byte free block used for a 16-byte request
//   wastes the rest. When the block is larger than needed by at least the
//   minimum block size (16), split it: the front is allocated, the rest
//   becomes a new free block with its own header.
//
// TODO 4 (coalescing with boundary tags). Freeing two neighbours leaves two
//   small free blocks where one big one should be. Give every block a
//   footer too (a copy of the header in its last 4 bytes): then the block
//   before bp is found at bp - sizeFrom(footer at bp - 8). On free, merge
//   with a free next block and a free previous block (four cases). Add a
//   "prologue" footer marked allocated before the first block, so the first
//   block never merges backwards. When malloc must grow the heap and the
//   last block is free, sbrk only the missing part.
//
// TODO 5 (heap checker). Implement check(): walk every block and report
//   headers that disagree with footers, sizes that are not multiples of 16,
//   two adjacent free blocks, a walk that does not end at heap.brk. Run
//   `npx heapgrade test allocator.ts --check-heap` (the kit calls check()
//   after every operation): the first operation it complains after is where
//   your heap went wrong. Extend it as you add lists in TODO 6 and 7.
//
// TODO 6 (explicit free list). Walking allocated blocks to find a free one
//   is slow. Store two links in each FREE block's payload (next at bp,
//   prev at bp + 4) and keep one variable, the list head. malloc searches
//   only the list; free and coalescing insert and remove blocks. The
//   minimum block is now header + next + prev + footer = 16 bytes.
//
// TODO 7 (segregated lists). Keep one list per size class (say 16, 32, 48,
//   ... 512, then powers of two), with the heads in a small fixed array.
//   Search the request's class first, then larger ones. Best fit within a
//   class (or among its first few blocks) improves utilization.
//
// TODO 8 (realloc in place). Moving a block costs a copy and leaves a hole.
//   Shrink in place (split off the tail); grow into the next block when it
//   is free and big enough; when the block is the last one in the heap,
//   grow it with sbrk. A failed realloc returns 0 and leaves the block as
//   it was.
//
// TODO 9 (optional: no footers on allocated blocks). Only free blocks need
//   a footer. Keep a "previous block is allocated" flag in bit 1 of every
//   header instead; allocated blocks then lose 4 bytes of overhead.
// ---------------------------------------------------------------------------

export default function createAllocator(heap: Heap): Allocator {
  // The naive allocator keeps one number per block in the heap: the
  // requested size, in the last 4 bytes of a 16-byte header before the
  // payload, so that realloc knows how much to copy.
  const HEADER = 16;

  function malloc(size: number): Ptr {
    // Pad the break so that the payload after the header is 16-aligned.
    const pad = alignUp(heap.brk) - heap.brk;
    const total = pad + HEADER + alignUp(size);
    if (total > SIZE_MAX) return 0; // no heap can hold it
    const old = heap.sbrk(total);
    if (old === -1) return 0; // out of memory: NULL, never an exception
    const bp = old + pad + HEADER;
    heap.store32(bp - 4, size);
    return bp;
  }

  function free(ptr: Ptr): void {
    // free(0) must do nothing. The naive allocator never reuses memory. (TODO 2)
    void ptr;
  }

  function calloc(count: number, size: number): Ptr {
    const total = count * size;
    if (total > SIZE_MAX) return 0; // the product overflows a 32-bit size_t
    // Memory fresh from sbrk is already zero, and naive malloc only returns
    // fresh memory. Once you reuse blocks (TODO 2), zero the payload here.
    return malloc(total);
  }

  function realloc(ptr: Ptr, size: number): Ptr {
    if (ptr === 0) return malloc(size);
    // TODO 8: shrink or grow in place instead of always moving.
    const moved = malloc(size);
    if (moved === 0) return 0; // the old block stays valid and unchanged
    heap.copy(moved, ptr, Math.min(heap.load32(ptr - 4), size));
    free(ptr);
    return moved;
  }

  function check(): string[] {
    // TODO 5: walk the heap and report every inconsistency.
    return [];
  }

  return { malloc, free, calloc, realloc, check };
}
