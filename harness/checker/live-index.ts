/**
 * An ordered index of live blocks by start address (a treap), so that the
 * overlap test is O(log n): a new block [p, p+n) overlaps a live one iff its
 * predecessor ends after p or its successor starts before p+n. This catches
 * containment, which a "start or end inside" scan misses. Insert and remove
 * rotate in place: the checker runs on every operation, so nothing here
 * allocates beyond the node itself.
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
    // One descent finds both the floor (largest start <= start) and the
    // successor (smallest start > start).
    let n = this.root;
    let floor: Node | null = null;
    let succ: Node | null = null;
    while (n) {
      if (n.start <= start) {
        floor = n;
        n = n.right;
      } else {
        succ = n;
        n = n.left;
      }
    }
    if (floor && floor.end > start) return floor;
    if (succ && succ.start < end) return succ;
    return null;
  }

  /** The live block containing address a, if any. */
  containing(a: number): LiveEntry | null {
    let n = this.root;
    let floor: Node | null = null;
    while (n) {
      if (n.start <= a) {
        floor = n;
        n = n.right;
      } else n = n.left;
    }
    return floor && floor.end > a ? floor : null;
  }

  insert(start: number, end: number, id: number): void {
    this.root = insertNode(this.root, { start, end, id, pri: this.nextPri(), left: null, right: null });
    this.count++;
  }

  remove(start: number): void {
    this.root = removeNode(this.root, start, this);
  }

  /** Called by removeNode when it unlinks a node. */
  removed(): void {
    this.count--;
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

function insertNode(n: Node | null, node: Node): Node {
  if (!n) return node;
  if (node.start < n.start) {
    n.left = insertNode(n.left, node);
    if (n.left.pri > n.pri) return rotateRight(n);
  } else {
    n.right = insertNode(n.right, node);
    if (n.right.pri > n.pri) return rotateLeft(n);
  }
  return n;
}

function removeNode(n: Node | null, start: number, index: LiveIndex): Node | null {
  if (!n) return null;
  if (start < n.start) n.left = removeNode(n.left, start, index);
  else if (start > n.start) n.right = removeNode(n.right, start, index);
  else {
    if (!n.left || !n.right) {
      index.removed();
      return n.left ?? n.right;
    }
    // Rotate the node down towards the child with the higher priority, then retry.
    if (n.left.pri > n.right.pri) {
      const top = rotateRight(n);
      top.right = removeNode(top.right, start, index);
      return top;
    }
    const top = rotateLeft(n);
    top.left = removeNode(top.left, start, index);
    return top;
  }
  return n;
}

function rotateRight(n: Node): Node {
  const l = n.left!;
  n.left = l.right;
  l.right = n;
  return l;
}

function rotateLeft(n: Node): Node {
  const r = n.right!;
  n.right = r.left;
  r.left = n;
  return r;
}
