/**
 * Red team of the TypeScript heap's cost: memory given back with a negative
 * sbrk and taken again comes back zeroed, which was charged as one step per
 * call, so 64 MiB cleared cost 128 steps against 8,388,672 for heap.fill
 * doing the same (and a loop of such calls spent seconds where the meter saw
 * nothing, until the wall-clock backstop called it the kit's error). The
 * zeroing of memory below the heap's peak is now charged as a fill.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSubmission } from '../../harness/loader/load.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/attack/sbrk-refill.ts', import.meta.url));

describe('clearing the heap by shrinking and growing it', () => {
  it('costs no less than heap.fill doing the same clearing / 2', async () => {
    const sub = await loadSubmission(FIXTURE);
    const cost = (mode: number): number => {
      const inst = sub.instantiate({ seed: 1, limit: 64 << 20 });
      inst.allocator.malloc(mode);
      return inst.heap.meter!.lastCall;
    };
    const hostile = cost(1);
    const control = cost(2);
    console.log({ hostile, control });
    expect(control).toBeGreaterThan(64 * (4 << 20) / 8);
    expect(hostile).toBeGreaterThanOrEqual(control / 2);
  }, 60_000);
});
