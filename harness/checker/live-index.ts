/**
 * An ordered index of live blocks by start address (a treap), so that the
 * overlap test is O(log n): a new block [p, p+n) overlaps a live one iff its
 * predecessor ends after p or its successor starts before p+n. This catches
 * containment, which a "start or end inside" scan misses.
 */
interface Node {
  start: number;
  end: number;
  id: number;
  pri: number;
  left: Node | null;
  right: Node | null;
}

export interface LiveEntry {
  readonly start: number;
  readonly end: number;
  readonly id: number;
}

export class LiveIndex {
  private root: Node | null = null;
  private seed = 0x2545f491;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The live block whose range intersects [start, end), if any (end > start). */
  findOverlap(start: number, end: number): LiveEntry | null {
    const pred = this.floor(start);
    if (pred && pred.end > start) return pred;
    const succ = this.ceilingAbove(start);
    if (succ && succ.start < end) return succ;
    return null;
  }

  /** The live block containing address a, if any. */
  containing(a: number): LiveEntry | null {
    const pred = this.floor(a);
    return pred && pred.end > a ? pred : null;
  }

  insert(start: number, end: number, id: number): void {
    const node: Node = { start, end, id, pri: this.nextPri(), left: null, right: null };
    const [l, r] = split(this.root, start);
    this.root = merge(merge(l, node), r);
    this.count++;
  }

  remove(start: number): void {
    const [l, r] = split(this.root, start); // l: keys < start, r: keys >= start
    const [mid, rest] = split(r, start + 1); // mid: key == start (integer keys)
    if (mid) this.count--;
    this.root = merge(l, rest);
  }

  /** Entries in address order, for sweeps and heap maps. */
  entries(): LiveEntry[] {
    const out: LiveEntry[] = [];
    const stack: Node[] = [];
    let n = this.root;
    while (n || stack.length) {
      while (n) {
        stack.push(n);
        n = n.left;
      }
      n = stack.pop()!;
      out.push(n);
      n = n.right;
    }
    return out;
  }

  /** Largest key <= a. */
  private floor(a: number): Node | null {
    let n = this.root;
    let best: Node | null = null;
    while (n) {
      if (n.start <= a) {
        best = n;
        n = n.right;
      } else n = n.left;
    }
    return best;
  }

  /** Smallest key > a. */
  private ceilingAbove(a: number): Node | null {
    let n = this.root;
    let best: Node | null = null;
    while (n) {
      if (n.start > a) {
        best = n;
        n = n.left;
      } else n = n.right;
    }
    return best;
  }

  private nextPri(): number {
    // xorshift32: deterministic priorities keep runs reproducible.
    let x = this.seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.seed = x >>> 0;
    return this.seed;
  }
}

/** Splits into keys < k and keys >= k. */
function split(n: Node | null, k: number): [Node | null, Node | null] {
  if (!n) return [null, null];
  if (n.start < k) {
    const [l, r] = split(n.right, k);
    n.right = l;
    return [n, r];
  }
  const [l, r] = split(n.left, k);
  n.left = r;
  return [l, n];
}

function merge(a: Node | null, b: Node | null): Node | null {
  if (!a) return b;
  if (!b) return a;
  if (a.pri > b.pri) {
    a.right = merge(a.right, b);
    return a;
  }
  b.left = merge(a, b.left);
  return b;
}
