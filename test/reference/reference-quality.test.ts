import { describe, expect, it } from 'vitest';
import { createHeapPort } from '../../harness/heap/heap-port.ts';
import { SimHeap } from '../../harness/heap/sim-heap.ts';
import { createAllocator as naive } from '../../reference/naive.ts';
import { createAllocator as worstFit } from '../../reference/placement/worst-fit.ts';
import { createAllocator as reference } from '../../reference/reference.ts';
import { explain, randomTrace, replay } from './replay.ts';

describe('the reference allocator', () => {
  it('keeps its own check() clean after every operation', () => {
    const ops = randomTrace(11, { ops: 4000 });
    let checked = 0;
    const { violation } = replay(reference, ops, {
      afterOp: () => checked++,
      checker: { checkHeap: true }, // the checker calls check() after each op: heap-check-failed otherwise
    });
    expect(explain(violation)).toBe('none');
    expect(checked).toBe(ops.length);
  });

  it('has a check() that notices a corrupted header', () => {
    const sim = new SimHeap({ seed: 3 });
    const a = reference(createHeapPort(sim));
    const p = a.malloc(100);
    const q = a.malloc(100);
    a.free(p);
    expect(a.check!()).toEqual([]);
    sim.store32(q - 4, 0x31); // q's header now claims 48 bytes instead of 112
    expect(a.check!().length).toBeGreaterThan(0);
  });

  it('uses less heap than naive and worst-fit on random churn', () => {
    const util = (factory: typeof reference, seed: number): number => {
      const { violation, checker, sim } = replay(factory, randomTrace(seed, { ops: 6000, largeChance: 0 }), { seed });
      expect(explain(violation)).toBe('none');
      return checker.stats.peakPayload / sim.stats.peakExtent;
    };
    for (const seed of [21, 22]) {
      const ref = util(reference, seed);
      expect(ref).toBeGreaterThan(util(naive, seed));
      expect(ref).toBeGreaterThan(util(worstFit, seed));
      expect(ref).toBeGreaterThan(0.8);
    }
  });

  it('reallocs in place when it can, so a growing last block never moves', () => {
    const sim = new SimHeap({ seed: 5 });
    const a = reference(createHeapPort(sim));
    const p = a.malloc(24);
    for (let size = 32; size < 100_000; size = Math.ceil(size * 1.5)) expect(a.realloc(p, size)).toBe(p);
    expect(a.realloc(p, 8)).toBe(p); // shrinking too
    expect(a.check!()).toEqual([]);
  });

  it('zeroes reused memory in calloc but does not rewrite memory fresh from sbrk', () => {
    const sim = new SimHeap({ seed: 6 });
    const a = reference(createHeapPort(sim));
    const fresh = a.calloc(1000, 4);
    expect(sim.stats.bytesMoved).toBe(0);
    sim.fill(fresh, 0xab, 4000);
    a.free(fresh);
    const reused = a.calloc(1000, 4);
    expect(reused).toBe(fresh);
    expect([...sim.view(reused, 4000)].every((b) => b === 0)).toBe(true);
  });
});
