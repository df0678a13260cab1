/**
 * Block layout of the reference allocator (see reference/README.md).
 *
 * A block is addressed by its payload pointer `bp` (16-aligned). The 4-byte
 * header sits at bp - 4 and holds the block size (a multiple of 16) with two
 * flag bits. Allocated blocks have no footer: the next block's PREV_ALLOC bit
 * says whether a footer exists. Free blocks keep the free-list links in the
 * payload and a footer (a copy of the header) in their last word.
 *
 *   allocated: [hdr size|prev|1][payload ..................]
 *   free:      [hdr size|1|0][next][prev][ ...unused... ][ftr size|1|0]
 */

/** Bytes in a header, footer or list link (addresses fit 32 bits). */
export const WORD = 4;
export const ALIGN = 16;
/** header + next + prev + footer: the smallest block that can be free. */
export const MIN_BLOCK = 16;
/** The largest block size a 32-bit header can hold. */
export const MAX_BLOCK = 0xffff_fff0;

/** This block is allocated. */
export const ALLOC = 1;
/** The block just before this one is allocated (so it has no footer). */
export const PREV_ALLOC = 2;
const FLAGS = 15;

/** Sizes up to this get one list per exact size (16, 32, ... 512). */
const EXACT_LIMIT = 512;
export const EXACT_CLASSES = EXACT_LIMIT / ALIGN;
/** Then one list per power of two: [513, 1023], [1024, 2047], ... [2**31, 2**32). */
export const CLASS_COUNT = EXACT_CLASSES + 32 - 9;

/** The free list a block of `size` bytes belongs to. */
export function sizeClass(size: number): number {
  if (size <= EXACT_LIMIT) return size / ALIGN - 1;
  return EXACT_CLASSES + (31 - Math.clz32(size)) - 9;
}

/**
 * Block size for a request of `size` payload bytes: payload plus header,
 * rounded up to the alignment; 0 when it cannot fit a 32-bit header (such a
 * request is larger than any heap limit, so NULL is the right answer).
 */
export function blockSizeFor(size: number): number {
  if (!(size >= 0) || size > MAX_BLOCK) return 0;
  const a = Math.ceil((size + WORD) / ALIGN) * ALIGN;
  if (a > MAX_BLOCK) return 0;
  return a < MIN_BLOCK ? MIN_BLOCK : a;
}

/** Size field of a header word (arithmetic, not `&`, so sizes >= 2**31 stay positive). */
export function sizeOf(word: number): number {
  return word - (word & FLAGS);
}
