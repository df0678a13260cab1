import { TraceBuilder, type CorrectnessCheck } from '../../harness/checker/check.ts';

export const reallocBasics: CorrectnessCheck = {
  name: 'realloc',
  description: 'realloc grows, shrinks, keeps the same size, takes NULL and 0, and always keeps the first min(old, new) bytes (copying no more than the old block), next to live neighbours.',
  points: 12,
  targets: ['realloc-data-lost', 'payload-corrupted', 'overlap', 'zero-size-policy', 'segfault'],
  type: 'trace',
  build() {
    const t = new TraceBuilder();
    // First, on the fresh heap: a block that ends at (or near) the break, with
    // a free hole below it big enough for its growth. A realloc that moves it
    // into the hole and copies the NEW size instead of the old one reads far
    // past the break: a segfault. (Checked first, before other blocks leave
    // holes that would take `last`; 30000 bytes outrun a 4 KiB sbrk chunk.)
    const hole = t.malloc(32768);
    const guard = t.malloc(16);
    const last = t.malloc(100);
    t.free(hole);
    t.realloc(last, 30000);
    t.free(last);
    t.free(guard);
    const a = t.malloc(100);
    const n1 = t.malloc(50); // a neighbour: growth in place must not overwrite it
    t.realloc(a, 200); // grow
    t.realloc(a, 200); // same size
    t.realloc(a, 30); // shrink
    t.realloc(a, 1000); // grow again
    const b = t.reallocNull(64); // realloc(NULL, n)
    t.realloc(b, 65);
    t.free(n1);
    t.realloc(b, 4000); // grow into freed neighbour space or move
    const c = t.malloc(10);
    t.realloc(c, 0); // realloc(p, 0): freed (NULL) or a minimal block, per policy
    // Vectors doubling while other blocks are allocated between them.
    const v1 = t.malloc(8);
    const v2 = t.malloc(8);
    for (let s = 16; s <= 65536; s *= 2) {
      t.realloc(v1, s);
      t.malloc(s >> 3);
      t.realloc(v2, s + 3);
    }
    for (let s = 65536; s >= 8; s >>= 2) t.realloc(v1, s);
    t.free(a);
    t.free(b);
    t.free(v1);
    t.free(v2);
    return t.ops;
  },
};
