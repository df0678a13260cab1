import type { Heap, Ptr } from '../../harness/contract/types.ts';

const WORD = 4;
const ALIGN = 16;
const MAX_PROBLEMS = 20;
const hex = (n: number): string => `0x${n.toString(16)}`;

/**
 * Heap checker of the placement family: every block's header and footer
 * agree, no two free blocks touch, the list links free blocks both ways and
 * holds every free block, and the next-fit rover is on the list.
 */
export function checkExplicitHeap(heap: Heap, first: Ptr, head: Ptr, rover: Ptr): string[] {
  const problems: string[] = [];
  let free = 0;
  let prevFree = false;
  for (let bp = first; problems.length < MAX_PROBLEMS; ) {
    if (bp - WORD < heap.base || bp > heap.brk) {
      problems.push(`block ${hex(bp)} lies outside the heap [${hex(heap.base)}, ${hex(heap.brk)})`);
      break;
    }
    const word = heap.load32(bp - WORD);
    const size = word & ~(ALIGN - 1);
    if (size === 0) {
      if (bp !== heap.brk) problems.push(`epilogue at ${hex(bp - WORD)}, but the break is ${hex(heap.brk)}`);
      break;
    }
    if (size % ALIGN !== 0 || bp % ALIGN !== 0 || bp + size - WORD > heap.brk) {
      problems.push(`block ${hex(bp)} has a bad size ${size} or alignment`);
      break;
    }
    const footer = heap.load32(bp + size - 2 * WORD);
    if (footer !== word) problems.push(`block ${hex(bp)}: footer ${hex(footer)} differs from header ${hex(word)}`);
    const isFree = (word & 1) === 0;
    if (isFree) {
      free++;
      if (prevFree) problems.push(`free blocks at ${hex(bp)} and the one before it were not coalesced`);
    }
    prevFree = isFree;
    bp += size;
  }
  if (problems.length > 0) return problems;

  let listed = 0;
  let prev = 0;
  let roverSeen = rover === 0;
  for (let bp = head; bp !== 0; bp = heap.load32(bp)) {
    if (++listed > free) return [`the free list holds more entries than the ${free} free blocks (a cycle or a stale entry)`];
    if (bp % ALIGN !== 0 || bp - WORD < heap.base || bp + WORD * 2 > heap.brk) return [`list entry ${hex(bp)} is not a block address in the heap`];
    if ((heap.load32(bp - WORD) & 1) !== 0) problems.push(`list entry ${hex(bp)} is allocated`);
    if (heap.load32(bp + WORD) !== prev) problems.push(`block ${hex(bp)} has prev link ${hex(heap.load32(bp + WORD))}, expected ${hex(prev)}`);
    if (bp === rover) roverSeen = true;
    prev = bp;
  }
  if (listed !== free) problems.push(`the free list holds ${listed} blocks but the heap has ${free} free blocks`);
  if (!roverSeen) problems.push(`the next-fit rover ${hex(rover)} is not on the free list`);
  return problems.slice(0, MAX_PROBLEMS);
}
