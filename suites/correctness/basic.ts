import { mulberry32, randInt } from '../../harness/util/rng.ts';
import { TraceBuilder, type CorrectnessCheck } from '../../harness/checker/check.ts';

export const alignment: CorrectnessCheck = {
  name: 'alignment',
  description: 'Every size from 1 to 300 and odd sizes up to 4096, from malloc, calloc and realloc, must come back aligned.',
  points: 8,
  targets: ['misaligned', 'out-of-heap'],
  type: 'trace',
  build() {
    const t = new TraceBuilder();
    const live: number[] = [];
    for (let s = 1; s <= 300; s++) live.push(t.malloc(s));
    for (let s = 301; s <= 4096; s += 37) live.push(t.malloc(s));
    for (let k = 0; k < live.length; k += 3) t.free(live[k]!);
    for (let s = 1; s <= 97; s += 4) t.calloc(s, 3);
    for (let k = 1; k < live.length; k += 3) t.realloc(live[k]!, ((k * 53) % 2000) + 1);
    return t.ops;
  },
};

export const zeroSize: CorrectnessCheck = {
  name: 'zero-size',
  description: 'malloc(0), calloc(0, n), calloc(n, 0) and realloc(NULL, 0) follow the assignment\'s zero-size policy, and free accepts what they return.',
  points: 4,
  targets: ['zero-size-policy', 'overlap', 'misaligned', 'threw', 'segfault'],
  type: 'trace',
  build() {
    const t = new TraceBuilder();
    const a = t.malloc(0);
    const b = t.malloc(0);
    const c = t.calloc(0, 8);
    const d = t.calloc(8, 0);
    const e = t.reallocNull(0);
    const f = t.malloc(24);
    for (const id of [a, b, c, d, e]) t.free(id);
    t.free(f);
    t.malloc(0);
    return t.ops;
  },
};

export const freeNull: CorrectnessCheck = {
  name: 'free-null',
  description: 'free(NULL) does nothing, also between other calls, and realloc(NULL, n) acts as malloc(n).',
  points: 4,
  targets: ['segfault', 'threw', 'payload-corrupted'],
  type: 'trace',
  build() {
    const t = new TraceBuilder();
    t.free(-1);
    const a = t.malloc(40);
    t.free(-1);
    const b = t.reallocNull(100);
    t.free(-1);
    t.realloc(b, 300);
    t.free(a);
    t.free(-1);
    t.free(b);
    t.free(-1);
    return t.ops;
  },
};

export const randomChurn: CorrectnessCheck = {
  name: 'churn',
  description: 'Random mallocs and frees of mixed sizes: no two live blocks may overlap (containment included) and no live byte may change.',
  points: 12,
  targets: ['overlap', 'payload-corrupted', 'out-of-heap', 'misaligned'],
  type: 'trace',
  build({ seed }) {
    const rng = mulberry32(seed ^ 0xc0ffee);
    const t = new TraceBuilder();
    const live: number[] = [];
    for (let i = 0; i < 6000; i++) {
      if (live.length && rng() < 0.45) {
        const k = randInt(rng, 0, live.length - 1);
        t.free(live[k]!);
        live[k] = live[live.length - 1]!;
        live.pop();
      } else {
        const r = rng();
        const size = r < 0.6 ? randInt(rng, 1, 64) : r < 0.9 ? randInt(rng, 65, 1024) : randInt(rng, 1025, 20000);
        live.push(t.malloc(size));
      }
    }
    for (const id of live) t.free(id);
    return t.ops;
  },
};

export const longLivedIntegrity: CorrectnessCheck = {
  name: 'integrity',
  description: 'Long-lived blocks sit between churning neighbours that are split and coalesced; every live byte is verified after every operation.',
  points: 10,
  targets: ['payload-corrupted', 'overlap'],
  type: 'trace',
  checker: { sweepEvery: 1 },
  build({ seed }) {
    const rng = mulberry32(seed ^ 0x1badb002);
    const t = new TraceBuilder();
    const keep: number[] = [];
    const churn: number[] = [];
    for (let round = 0; round < 120; round++) {
      for (let k = 0; k < 6; k++) churn.push(t.malloc(randInt(rng, 8, 300)));
      keep.push(t.malloc(randInt(rng, 1, 200)));
      for (let k = 0; k < 4; k++) {
        const j = randInt(rng, 0, churn.length - 1);
        t.free(churn[j]!);
        churn.splice(j, 1);
      }
      if (round % 10 === 9) {
        // Free runs of neighbours so that coalescing kicks in next to live blocks.
        for (const id of churn.splice(0, churn.length >> 1)) t.free(id);
      }
    }
    for (const id of churn) t.free(id);
    for (const id of keep) t.free(id);
    return t.ops;
  },
};

export const tinyBlocks: CorrectnessCheck = {
  name: 'tiny-blocks',
  description: 'A thousand blocks of 1 to 16 bytes, freed in an interleaved order, then reused.',
  points: 6,
  targets: ['overlap', 'payload-corrupted', 'misaligned'],
  type: 'trace',
  build() {
    const t = new TraceBuilder();
    const ids: number[] = [];
    // Every size 1..16 sits next to every other size many times over at a
    // thousand blocks; more blocks only make an O(n) allocator pay O(n^2)
    // (eight thousand cost an implicit list 8 s) without reaching a new case.
    for (let i = 0; i < 1024; i++) ids.push(t.malloc((i % 16) + 1));
    for (let i = 0; i < ids.length; i += 2) t.free(ids[i]!);
    for (let i = 0; i < 256; i++) ids.push(t.malloc(((i * 7) % 16) + 1));
    for (let i = 1; i < ids.length; i += 2) t.free(ids[i]!);
    return t.ops;
  },
};

export const hugeBlocks: CorrectnessCheck = {
  name: 'huge-blocks',
  description: 'A few blocks of megabytes up to half the heap limit, reallocated and freed; requests larger than the heap limit must return NULL.',
  points: 6,
  targets: ['out-of-heap', 'realloc-data-lost', 'payload-corrupted', 'spurious-null', 'threw'],
  type: 'trace',
  build({ limit }) {
    const t = new TraceBuilder();
    const mb = 1 << 20;
    const a = t.malloc(4 * mb);
    const b = t.malloc(3 * mb + 17);
    t.realloc(a, 6 * mb);
    const c = t.calloc(mb, 2);
    t.free(b);
    t.malloc(limit + 1); // can never fit: NULL is required
    t.malloc(0xffff_ffff);
    t.realloc(c, 0xffff_fff0);
    t.realloc(a, 2 * mb);
    const d = t.malloc(Math.floor(limit / 2));
    t.free(d);
    t.free(a);
    t.free(c);
    return t.ops;
  },
};
