import type { Heap, Ptr } from '../../harness/contract/types.ts';
import type { SegregatedLists } from './free-lists.ts';
import { ALIGN, ALLOC, CLASS_COUNT, MIN_BLOCK, PREV_ALLOC, WORD, sizeClass, sizeOf } from './layout.ts';

/** Stop collecting after this many problems: the first one is what matters. */
const MAX_PROBLEMS = 20;

const hex = (n: number): string => `0x${n.toString(16)}`;

/**
 * The reference's heap checker (mm_checkheap): walks every block from
 * `first` to the epilogue, then every free list, and returns what is
 * inconsistent ([] when nothing is).
 */
export function checkSegregatedHeap(heap: Heap, first: Ptr, lists: SegregatedLists): string[] {
  const problems: string[] = [];
  const freeBlocks = walkBlocks(heap, first, problems);
  if (problems.length === 0) checkLists(heap, lists, freeBlocks, problems);
  return problems.slice(0, MAX_PROBLEMS);
}

/** Checks tags and neighbours block by block; returns how many free blocks it met. */
function walkBlocks(heap: Heap, first: Ptr, problems: string[]): number {
  let prevAllocated = true;
  let free = 0;
  for (let bp = first; problems.length < MAX_PROBLEMS; ) {
    if (bp - WORD < heap.base || bp > heap.brk) {
      problems.push(`block ${hex(bp)} lies outside the heap [${hex(heap.base)}, ${hex(heap.brk)})`);
      break;
    }
    const word = heap.load32(bp - WORD);
    const size = sizeOf(word);
    const allocated = (word & ALLOC) !== 0;
    if (((word & PREV_ALLOC) !== 0) !== prevAllocated) {
      problems.push(`block ${hex(bp)}: PREV_ALLOC bit is ${prevAllocated ? 'clear' : 'set'} but the block before is ${prevAllocated ? 'allocated' : 'free'}`);
    }
    if (size === 0) {
      if (bp !== heap.brk) problems.push(`epilogue (size 0) at ${hex(bp - WORD)}, but the break is ${hex(heap.brk)}`);
      if (!allocated) problems.push(`epilogue at ${hex(bp - WORD)} is not marked allocated`);
      break;
    }
    if (bp % ALIGN !== 0) problems.push(`block ${hex(bp)} is not ${ALIGN}-aligned`);
    if (size < MIN_BLOCK || size % ALIGN !== 0 || bp + size > heap.brk) {
      problems.push(`block ${hex(bp)} has a bad size ${size} (heap ends at ${hex(heap.brk)})`);
      break;
    }
    if (!allocated) {
      free++;
      if (!prevAllocated) problems.push(`free blocks at ${hex(bp)} and the one before it were not coalesced`);
      const footer = heap.load32(bp + size - 2 * WORD);
      if (footer !== word) problems.push(`free block ${hex(bp)}: footer ${hex(footer)} differs from header ${hex(word)}`);
    }
    prevAllocated = allocated;
    bp += size;
  }
  return free;
}

/** Checks that each list links free blocks of its class both ways, and that together they hold every free block. */
function checkLists(heap: Heap, lists: SegregatedLists, freeBlocks: number, problems: string[]): void {
  let listed = 0;
  for (let c = 0; c < CLASS_COUNT; c++) {
    const head = lists.heads[c]!;
    const marked = (lists.nonEmpty[c >>> 5]! & (1 << (c & 31))) !== 0;
    if (marked !== (head !== 0)) problems.push(`class ${c}: the non-empty bitmap says ${marked}, the head is ${hex(head)}`);
    let prev = 0;
    for (let bp = head; bp !== 0; bp = heap.load32(bp)) {
      if (++listed > freeBlocks) {
        problems.push(`the free lists hold more entries than the ${freeBlocks} free blocks in the heap (a cycle or a stale entry, seen in class ${c})`);
        return;
      }
      if (bp % ALIGN !== 0 || bp - WORD < heap.base || bp + WORD * 2 > heap.brk) {
        problems.push(`class ${c}: list entry ${hex(bp)} is not a block address in the heap`);
        return;
      }
      const word = heap.load32(bp - WORD);
      if ((word & ALLOC) !== 0) problems.push(`class ${c}: list entry ${hex(bp)} is allocated`);
      if (sizeClass(sizeOf(word)) !== c) problems.push(`class ${c}: block ${hex(bp)} of size ${sizeOf(word)} belongs in class ${sizeClass(sizeOf(word))}`);
      if (heap.load32(bp + WORD) !== prev) problems.push(`class ${c}: block ${hex(bp)} has prev link ${hex(heap.load32(bp + WORD))}, expected ${hex(prev)}`);
      if (problems.length >= MAX_PROBLEMS) return;
      prev = bp;
    }
  }
  if (listed !== freeBlocks) problems.push(`the free lists hold ${listed} blocks but the heap has ${freeBlocks} free blocks`);
}
