import { describe, expect, it } from 'vitest';
import { createHeapPort } from '../../harness/heap/heap-port.ts';
import { SimHeap } from '../../harness/heap/sim-heap.ts';
import { createAllocator as naive } from '../../reference/naive.ts';
import { createAllocator as worstFit } from '../../reference/placement/worst-fit.ts';
import { createAllocator as reference } from '../../reference/reference.ts';
import type { Op } from '../../harness/trace/types.ts';
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

  it('grows a block down into a free block before it, keeping its bytes', () => {
    const ops: Op[] = [
      { kind: 'a', id: 0, size: 100 },
      { kind: 'a', id: 1, size: 100 },
      { kind: 'a', id: 2, size: 100 },
      { kind: 'a', id: 3, size: 100 }, // keeps b2 from being the last block
      { kind: 'f', id: 1 },
      { kind: 'r', id: 2, size: 200 }, // b1's space plus b2's is enough: b2 slides down
    ];
    const { violation, checker } = replay(reference, ops, { checker: { checkHeap: true } });
    expect(explain(violation)).toBe('none'); // realloc-data-lost if the slide lost bytes
    expect(checker.ptrOf(2)).toBe(replay(reference, ops.slice(0, 2)).checker.ptrOf(1));
  });

  it('grows the last block through a free neighbour and sbrk, without moving it', () => {
    const ops: Op[] = [
      { kind: 'a', id: 0, size: 100 },
      { kind: 'a', id: 1, size: 100 },
      { kind: 'f', id: 1 }, // a free block now ends the heap
      { kind: 'r', id: 0, size: 1000 },
    ];
    const { violation, checker, sim } = replay(reference, ops, { checker: { checkHeap: true } });
    expect(explain(violation)).toBe('none');
    expect(checker.ptrOf(0)).toBe(replay(reference, ops.slice(0, 1)).checker.ptrOf(0));
    expect(sim.brk - checker.ptrOf(0)!).toBeLessThan(1024 + 16); // the heap grew by what was missing only
  });

  it('finds a fitting block deep in its class before growing the heap', () => {
    const ops: Op[] = [];
    // 20 free blocks of one power-of-two class, each between allocated guards;
    // the only one that fits a 1900-byte request was freed first, so it is last in the LIFO list.
    for (let i = 0; i < 20; i++) ops.push({ kind: 'a', id: 2 * i, size: i === 0 ? 2000 : 1100 }, { kind: 'a', id: 2 * i + 1, size: 16 });
    for (let i = 0; i < 20; i++) ops.push({ kind: 'f', id: 2 * i });
    const before = replay(reference, ops);
    const { violation, checker, sim } = replay(reference, [...ops, { kind: 'a', id: 100, size: 1900 }], { checker: { checkHeap: true } });
    expect(explain(violation)).toBe('none');
    expect(checker.ptrOf(100)).toBe(replay(reference, ops.slice(0, 1)).checker.ptrOf(0));
    expect(sim.stats.peakExtent).toBe(before.sim.stats.peakExtent);
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
