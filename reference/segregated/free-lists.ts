import type { Heap, Ptr } from '../../harness/contract/types.ts';
import * as layout from './layout.ts';

// Module-local copies: a transpiled import (CommonJS, vitest) is a getter call on every use.
const { CLASS_COUNT, EXACT_CLASSES, sizeClass, sizeOf } = layout;

/**
 * Doubly linked free lists, one per size class, LIFO. The links live in the
 * free block's payload: next at bp, prev at bp + 4 (0 ends a list). Only the
 * list heads and a bitmap of non-empty classes live outside the heap.
 */
export class SegregatedLists {
  /** Head of each class's list (payload address), 0 when empty. */
  readonly heads = new Uint32Array(CLASS_COUNT);
  /** Bit c of word c >> 5 is set when class c is non-empty, so a search skips empty classes at once. */
  readonly nonEmpty = new Uint32Array(2);

  constructor(private readonly heap: Heap) {}

  insert(bp: Ptr, size: number): void {
    const c = sizeClass(size);
    const head = this.heads[c]!;
    this.heap.store32(bp, head);
    this.heap.store32(bp + 4, 0);
    if (head !== 0) this.heap.store32(head + 4, bp);
    this.heads[c] = bp;
    this.nonEmpty[c >>> 5]! |= 1 << (c & 31);
  }

  remove(bp: Ptr, size: number): void {
    const next = this.heap.load32(bp);
    const prev = this.heap.load32(bp + 4);
    if (prev !== 0) this.heap.store32(prev, next);
    else {
      const c = sizeClass(size);
      this.heads[c] = next;
      if (next === 0) this.nonEmpty[c >>> 5]! &= ~(1 << (c & 31));
    }
    if (next !== 0) this.heap.store32(next + 4, prev);
  }

  /**
   * A free block of at least `asize` bytes, or 0. Exact classes hold blocks
   * of one size, so their head fits exactly; a range class is searched
   * best-fit among its first `scan` blocks; past the request's own class
   * every block fits, and the first non-empty class holds the smallest.
   * Only when no larger class has a block is the own class searched whole.
   */
  find(asize: number, scan: number): Ptr {
    let c = sizeClass(asize);
    if (c < EXACT_CLASSES) {
      const head = this.heads[c]!;
      if (head !== 0) return head;
    } else {
      const bp = this.bestOf(this.heads[c]!, asize, scan);
      if (bp !== 0) return bp;
    }
    const own = c;
    c = this.nextNonEmpty(c + 1);
    if (c >= 0) return c < EXACT_CLASSES ? this.heads[c]! : this.bestOf(this.heads[c]!, asize, scan);
    // Nothing larger anywhere: search the rest of the own class before the heap must grow.
    return own < EXACT_CLASSES ? 0 : this.bestOf(this.heads[own]!, asize, Infinity);
  }

  /** The smallest block >= asize among the first `scan` of a list (stops early on an exact fit). */
  private bestOf(head: Ptr, asize: number, scan: number): Ptr {
    let best = 0;
    let bestSize = Infinity;
    for (let bp = head, n = 0; bp !== 0 && n < scan; n++) {
      const size = sizeOf(this.heap.load32(bp - 4));
      if (size >= asize && size < bestSize) {
        best = bp;
        bestSize = size;
        if (size === asize) break;
      }
      bp = this.heap.load32(bp);
    }
    return best;
  }

  /** The first non-empty class >= c, or -1. */
  private nextNonEmpty(c: number): number {
    for (let w = c >>> 5; w < 2; w++) {
      const first = w === c >>> 5 ? c & 31 : 0;
      // Clear the bits below `first`; `first` is at most 31 here.
      const bits = (this.nonEmpty[w]! >>> first) << first;
      if (bits !== 0) return w * 32 + (31 - Math.clz32(bits & -bits));
    }
    return -1;
  }
}
