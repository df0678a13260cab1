/**
 * An ordered index of live blocks by start address (a treap), so that the
 * overlap test is O(log n): a new block [p, p+n) overlaps a live one iff its
 * predecessor ends after p or its successor starts before p+n. This catches
 * containment, which a "start or end inside" scan misses. Insert and remove
 * rotate in place: the checker runs on every operation, so nothing here
 * allocates beyond the node itself.
 */
/**
 * A node of the index. The checker's own block records are the nodes, so
 * one allocation per block serves both the id table and the index.
 */
export interface IndexNode {
  start: number;
  end: number;
  pri: number;
  left: this | null;
  right: this | null;
}

/** A plain node, for callers with nothing else to store. */
export interface LiveEntry extends IndexNode {
  id: number;
}

type Node = IndexNode;

export class LiveIndex<N extends IndexNode = LiveEntry> {
  private root: N | null = null;
  private seed = 0x2545f491;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The live block whose range intersects [start, end), if any (end > start). */
  findOverlap(start: number, end: number): N | null {
    // One descent finds both the floor (largest start <= start) and the
    // successor (smallest start > start).
    let n = this.root;
    let floor: N | null = null;
    let succ: N | null = null;
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
  containing(a: number): N | null {
    let n = this.root;
    let floor: N | null = null;
    while (n) {
      if (n.start <= a) {
        floor = n;
        n = n.right;
      } else n = n.left;
    }
    return floor && floor.end > a ? floor : null;
  }

  /** Adds a node; its start/end must be set, the tree fields are (re)set here. */
  insertNode(node: N): void {
    node.pri = this.nextPri();
    node.left = null;
    node.right = null;
    this.root = insertNode(this.root, node);
    this.count++;
  }

  /** Convenience for plain entries. */
  insert(this: LiveIndex<LiveEntry>, start: number, end: number, id: number): void {
    this.insertNode({ start, end, id, pri: 0, left: null, right: null });
  }

  remove(start: number): void {
    this.root = removeNode(this.root, start, this);
  }

  /** Called by removeNode when it unlinks a node. */
  removed(): void {
    this.count--;
  }

  /** Entries in address order, for sweeps and heap maps. */
  entries(): N[] {
    const out: N[] = [];
    const stack: N[] = [];
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

function insertNode<T extends Node>(n: T | null, node: T): T {
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

function removeNode<T extends Node>(n: T | null, start: number, index: { removed(): void }): T | null {
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

function rotateRight<T extends Node>(n: T): T {
  const l = n.left!;
  n.left = l.right;
  l.right = n;
  return l;
}

function rotateLeft<T extends Node>(n: T): T {
  const r = n.right!;
  n.right = r.left;
  r.left = n;
  return r;
}
