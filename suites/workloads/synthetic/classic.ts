/**
 * Workloads in the spirit of the classic CS:APP traces: each isolates one
 * thing an allocator must get right (placement, splitting, coalescing,
 * in-place realloc, general churn).
 */
import { mulberry32, randInt } from '../../../harness/util/rng.ts';
import { logUniform, takeRandom, TraceBuilder } from '../builder.ts';

/**
 * The seed's example: in a 64 KiB heap, holes of 16 KB, 1 KB, 30 KB and 2 KB
 * (kept apart by small live blocks), then malloc(2048). Best fit takes the
 * 2 KB hole and can still serve 30 KB and 16 KB afterwards; first (and next)
 * fit split the 16 KB hole, so the later 16 KB request needs more heap than
 * the limit allows and gets NULL; worst fit splits the 30 KB hole and the
 * later 30 KB request gets NULL.
 */
export function placement64k(): TraceBuilder {
  const b = new TraceBuilder('placement-64k');
  const holes = [16384, 1024, 30720, 2048].map((size) => {
    const hole = b.malloc(size);
    b.malloc(64); // separator: keeps the holes from coalescing
    return hole;
  });
  // Freed last to first, so that a LIFO free list and an address-ordered one
  // both list the 16 KB hole first.
  for (const hole of holes.reverse()) b.free(hole);
  b.malloc(2048);
  b.malloc(30720);
  b.malloc(16384);
  b.freeAll();
  return b;
}

/**
 * Alternating small and large blocks; the large ones are freed, then larger
 * requests arrive that fit none of the holes (binary-bal): splitting without
 * per-block waste and not relying on buddy sizes.
 */
export function binary(): TraceBuilder {
  const b = new TraceBuilder('binary');
  for (const [small, large, later, pairs] of [
    [64, 448, 512, 2000],
    [16, 112, 128, 1500],
  ] as const) {
    const larges: number[] = [];
    const smalls: number[] = [];
    for (let i = 0; i < pairs; i++) {
      smalls.push(b.malloc(small));
      larges.push(b.malloc(large));
    }
    for (const id of larges) b.free(id);
    const laters: number[] = [];
    for (let i = 0; i < pairs; i++) laters.push(b.malloc(later));
    for (const id of [...smalls, ...laters]) b.free(id);
  }
  return b;
}

/**
 * Neighbouring blocks are freed and a request as large as their sum follows,
 * again and again: without coalescing every round grows the heap.
 */
export function coalescing(seed: number): TraceBuilder {
  const rng = mulberry32(seed);
  const b = new TraceBuilder('coalescing');
  const fence = b.malloc(32);
  while (b.length < 15000) {
    const sizes = Array.from({ length: rng() < 0.3 ? 3 : 2 }, () => randInt(rng, 500, 5000));
    const ids = sizes.map((s) => b.malloc(s));
    // Free the middle one first when there are three, so both neighbours must merge into it.
    const order = ids.length === 3 ? [ids[1]!, ids[0]!, ids[2]!] : ids;
    for (const id of order) b.free(id);
    const merged = b.malloc(sizes.reduce((x, y) => x + y, 0));
    b.free(merged);
  }
  b.free(fence);
  return b;
}

/**
 * Vectors that grow by realloc while small blocks are allocated between the
 * steps (realloc-bal): growing in place, or into the free space at the end
 * of the heap, instead of copying and leaving holes.
 */
export function reallocGrowth(seed: number): TraceBuilder {
  const rng = mulberry32(seed);
  const b = new TraceBuilder('realloc-growth');
  const vectors = Array.from({ length: 6 }, () => b.malloc(randInt(rng, 8, 64)));
  const smalls: number[] = [];
  while (b.length < 20000) {
    const v = randInt(rng, 0, vectors.length - 1);
    const id = vectors[v]!;
    const size = b.sizeOf(id);
    if (size > 200_000) {
      b.free(id); // done growing: start a new vector
      vectors[v] = b.malloc(randInt(rng, 8, 64));
      continue;
    }
    // Mostly small increments (push_back with a tight growth policy), sometimes a doubling.
    b.realloc(id, rng() < 0.1 ? size * 2 : size + randInt(rng, 16, 512));
    if (rng() < 0.5) smalls.push(b.malloc(randInt(rng, 16, 128)));
    if (smalls.length > 400 && rng() < 0.6) b.free(takeRandom(rng, smalls));
  }
  b.freeAll();
  return b;
}

/**
 * Random mallocs, frees and reallocs of log-uniform sizes from 1 byte to
 * 32 KB, with the live count drifting up and down: no pattern to exploit.
 */
export function randomChurn(seed: number): TraceBuilder {
  const rng = mulberry32(seed);
  const b = new TraceBuilder('random-churn');
  const live: number[] = [];
  let target = 200;
  while (b.length < 24000) {
    if (b.length % 2000 === 0) target = randInt(rng, 50, 1500);
    const roll = rng();
    if (live.length === 0 || (live.length < target && roll < 0.6)) {
      live.push(b.malloc(logUniform(rng, 1, 32768)));
    } else if (roll < 0.85) {
      b.free(takeRandom(rng, live));
    } else {
      const id = live[randInt(rng, 0, live.length - 1)]!;
      b.realloc(id, logUniform(rng, 1, 32768));
    }
  }
  b.freeAll();
  return b;
}
