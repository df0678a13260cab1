/**
 * An ordered index of live blocks by start address, so that the overlap test
 * costs a few word operations: a new block [p, p+n) overlaps a live one iff
 * its predecessor (the block starting at or before p) ends after p, or its
 * successor starts before p+n. This catches containment, which a "start or
 * end inside" scan misses.
 *
 * Payloads are aligned (misaligned ones are rejected before they get here),
 * so a start is a granule number. The index is a hierarchical bitmap of
 * block starts (level 0: one bit per granule; each level above: one bit per
 * non-empty word below), so predecessor and successor take O(log32 U) word
 * operations on compact arrays, where a balanced tree of the live blocks
 * would chase a pointer per level. The blocks themselves sit in an array
 * by granule (a Map churning through a million distinct keys costs more
 * than the bitmap).
 */
export interface IndexNode {
  start: number;
  end: number;
}

/** A plain entry, for callers with nothing else to store. */
export interface LiveEntry extends IndexNode {
  id: number;
}

const TOP_WORDS = 32;
/** Nodes sit in pages of 2^PAGE_BITS granules, made on the first insert into them. */
const PAGE_BITS = 10;
const PAGE_SIZE = 1 << PAGE_BITS;

export class LiveIndex<N extends IndexNode = LiveEntry> {
  /**
   * The node starting at each granule (the bitmap says which are set), by
   * page. A page exists only once a block has started in it, so a heap
   * that never reaches a region costs nothing there, and growing the index
   * touches no slot.
   */
  private pages: (N | undefined)[][] = [];
  private count = 0;
  /** levels[0] has a bit per granule; levels[k+1] a bit per non-empty word of levels[k]. */
  private levels: Uint32Array[] = [new Uint32Array(TOP_WORDS)];

  /**
   * @param base lowest address a block can start at
   * @param granule block starts are multiples of this (the alignment)
   */
  constructor(
    private readonly base = 0,
    private readonly granule = 1,
  ) {}

  get size(): number {
    return this.count;
  }

  /** The live block whose range intersects [start, end), if any (end > start). */
  findOverlap(start: number, end: number): N | null {
    const g = this.granuleOf(start);
    const p = g < 0 ? -1 : this.pred(0, Math.min(g, this.capacity() - 1));
    if (p >= 0) {
      const floor = this.nodeAt(p)!;
      if (floor.end > start) return floor;
    }
    const from = Math.max(g + 1, 0);
    const s = from < this.capacity() ? this.succ(0, from) : -1;
    if (s >= 0) {
      const next = this.nodeAt(s)!;
      if (next.start < end) return next;
    }
    return null;
  }

  insertNode(node: N): void {
    const g = this.granuleOf(node.start);
    if (g >= this.capacity()) this.grow(g);
    const page = (this.pages[g >>> PAGE_BITS] ??= new Array<N | undefined>(PAGE_SIZE).fill(undefined));
    if (page[g & (PAGE_SIZE - 1)] === undefined) this.count++;
    page[g & (PAGE_SIZE - 1)] = node;
    let i = g;
    for (const level of this.levels) {
      const w = i >>> 5;
      const was = level[w]!;
      level[w] = was | (1 << (i & 31));
      if (was !== 0) break; // the word was already marked in the level above
      i = w;
    }
  }

  /** Convenience for plain entries. */
  insert(this: LiveIndex<LiveEntry>, start: number, end: number, id: number): void {
    this.insertNode({ start, end, id });
  }

  remove(start: number): void {
    let i = this.granuleOf(start);
    if (i < 0 || i >= this.capacity() || this.nodeAt(i) === undefined) return;
    this.pages[i >>> PAGE_BITS]![i & (PAGE_SIZE - 1)] = undefined;
    this.count--;
    for (const level of this.levels) {
      const w = i >>> 5;
      const now = level[w]! & ~(1 << (i & 31));
      level[w] = now;
      if (now !== 0) break; // the word is still non-empty: the levels above stay
      i = w;
    }
  }

  /** Entries in address order, for heap maps: walks the set bits, so it costs the live blocks, not the heap's extent. */
  entries(): N[] {
    const out: N[] = [];
    const cap = this.capacity();
    for (let g = this.succ(0, 0); g >= 0; g = g + 1 < cap ? this.succ(0, g + 1) : -1) out.push(this.nodeAt(g)!);
    return out;
  }

  private nodeAt(g: number): N | undefined {
    return this.pages[g >>> PAGE_BITS]?.[g & (PAGE_SIZE - 1)];
  }

  private granuleOf(a: number): number {
    return Math.floor((a - this.base) / this.granule);
  }

  /** Granules the bottom level covers. */
  private capacity(): number {
    return this.levels[0]!.length * 32;
  }

  /**
   * Widens the bitmap to cover granule g (rare: capacity follows the heap's
   * extent, doubling). Each level's old words are a prefix of its new ones
   * and the new words are empty, so the summaries are copied, not rebuilt;
   * only a level added on top is computed, from the (small) one below it.
   */
  private grow(g: number): void {
    let words = this.levels[0]!.length;
    while (words * 32 <= g) words *= 2;
    const levels: Uint32Array[] = [];
    for (let k = 0; ; k++) {
      const level = new Uint32Array(words);
      const old = this.levels[k];
      if (old) level.set(old);
      else {
        const below = levels[k - 1]!;
        for (let w = 0; w < below.length; w++) if (below[w] !== 0) level[w >>> 5]! |= 1 << (w & 31);
      }
      levels.push(level);
      if (words <= TOP_WORDS) break;
      words = Math.ceil(words / 32);
    }
    this.levels = levels;
  }

  /** Highest set index <= i at this level, or -1. */
  private pred(level: number, i: number): number {
    if (i < 0) return -1;
    const bits = this.levels[level]!;
    const w = i >>> 5;
    const word = bits[w]! & (0xffffffff >>> (31 - (i & 31)));
    if (word !== 0) return (w << 5) + 31 - Math.clz32(word);
    if (level === this.levels.length - 1) {
      for (let k = w - 1; k >= 0; k--) if (bits[k] !== 0) return (k << 5) + 31 - Math.clz32(bits[k]!);
      return -1;
    }
    const k = this.pred(level + 1, w - 1);
    return k < 0 ? -1 : (k << 5) + 31 - Math.clz32(bits[k]!);
  }

  /** Lowest set index >= i at this level, or -1. */
  private succ(level: number, i: number): number {
    const bits = this.levels[level]!;
    const w = i >>> 5;
    if (w >= bits.length) return -1;
    const word = bits[w]! & (0xffffffff << (i & 31));
    if (word !== 0) return (w << 5) + ctz(word);
    if (level === this.levels.length - 1) {
      for (let k = w + 1; k < bits.length; k++) if (bits[k] !== 0) return (k << 5) + ctz(bits[k]!);
      return -1;
    }
    const k = this.succ(level + 1, w + 1);
    return k < 0 ? -1 : (k << 5) + ctz(bits[k]!);
  }
}

function ctz(x: number): number {
  return 31 - Math.clz32(x & -x);
}
