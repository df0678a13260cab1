/**
 * Workloads at the extremes of request size, and calloc: per-block overhead
 * dominates tiny blocks, huge blocks stress splitting, coalescing and sbrk
 * growth near the heap limit, calloc stresses zeroing of reused memory.
 */
import { mulberry32, randInt } from '../../../harness/util/rng.ts';
import { logUniform, takeRandom, TraceBuilder } from '../builder.ts';

const MiB = 1024 * 1024;

/** Tens of thousands of 1-16 byte blocks (list nodes, small strings) in waves. */
export function tinyBlocks(seed: number): TraceBuilder {
  const rng = mulberry32(seed);
  const b = new TraceBuilder('tiny-blocks');
  const live: number[] = [];
  for (let wave = 0; wave < 4; wave++) {
    for (let i = 0; i < 6000; i++) live.push(b.malloc(randInt(rng, 1, 16)));
    // Free a random half, so the next wave must reuse scattered 1-16 byte holes.
    for (let i = live.length / 2; i > 0; i--) b.free(takeRandom(rng, live));
  }
  b.freeAll();
  return b;
}

/**
 * A few blocks of 1-24 MiB among ordinary small ones, freed, reallocated and
 * regrown: the live total stays under 40 MiB, so a careful allocator fits the
 * default 64 MiB limit while one that never reuses the space does not.
 */
export function hugeBlocks(seed: number): TraceBuilder {
  const rng = mulberry32(seed);
  const b = new TraceBuilder('huge-blocks');
  const huge: number[] = [];
  const small: number[] = [];
  let hugeBytes = 0;
  while (b.length < 6000) {
    if (rng() < 0.01) {
      if (huge.length > 0 && (hugeBytes > 24 * MiB || rng() < 0.4)) {
        const id = takeRandom(rng, huge);
        hugeBytes -= b.sizeOf(id);
        b.free(id);
      } else if (huge.length > 0 && rng() < 0.5) {
        const id = huge[randInt(rng, 0, huge.length - 1)]!;
        const next = Math.min(b.sizeOf(id) + randInt(rng, 1, 4) * MiB, 24 * MiB);
        if (hugeBytes - b.sizeOf(id) + next <= 36 * MiB) {
          hugeBytes += next - b.sizeOf(id);
          b.realloc(id, next);
        }
      } else {
        const size = randInt(rng, 1 * MiB, 12 * MiB);
        huge.push(b.malloc(size));
        hugeBytes += size;
      }
    } else if (small.length < 500 && rng() < 0.55) {
      small.push(b.malloc(logUniform(rng, 8, 4096)));
    } else if (small.length > 0) {
      b.free(takeRandom(rng, small));
    }
  }
  b.freeAll();
  return b;
}

/**
 * Mostly calloc of arrays and structs, with malloc'd blocks written and freed
 * between them, so calloc often lands on dirty reused memory and must zero it.
 */
export function callocHeavy(seed: number): TraceBuilder {
  const rng = mulberry32(seed);
  const b = new TraceBuilder('calloc-heavy');
  const live: number[] = [];
  while (b.length < 20000) {
    const roll = rng();
    if (live.length < 800 && roll < 0.45) {
      const elem = [1, 4, 8, 16, 24, 48][randInt(rng, 0, 5)]!;
      live.push(b.calloc(logUniform(rng, 1, Math.floor(2048 / elem) + 1), elem));
    } else if (live.length < 800 && roll < 0.6) {
      live.push(b.malloc(logUniform(rng, 8, 2048))); // dirty data for the next calloc
    } else if (live.length > 0) {
      b.free(takeRandom(rng, live));
    }
  }
  b.freeAll();
  return b;
}
