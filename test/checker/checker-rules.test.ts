/**
 * Each rule of the checker against a tiny allocator that breaks exactly it,
 * driven op by op (no workers), so a wrong verdict points at the checker.
 */
import { describe, expect, it } from 'vitest';
import { Checker } from '../../harness/checker/checker.ts';
import { resolveCheckerOptions, type CheckerOptions } from '../../harness/checker/options.ts';
import type { Allocator, Heap } from '../../harness/contract/types.ts';
import { createHeapPort } from '../../harness/heap/heap-port.ts';
import { SimHeap } from '../../harness/heap/sim-heap.ts';
import type { Op } from '../../harness/trace/types.ts';

/** A bump allocator (correct): the base the broken variants override. */
function bump(heap: Heap, over: Partial<Allocator> = {}): Allocator {
  const sizes = new Map<number, number>(); // test-only bookkeeping
  const malloc = (n: number): number => {
    if (n === 0 || n > 0x7fff_0000) return 0;
    const p = heap.sbrk(Math.ceil(n / 16) * 16);
    if (p === -1) return 0;
    sizes.set(p, n);
    return p;
  };
  const base: Allocator = {
    malloc,
    free: () => {},
    calloc: (c, s) => (c * s > 0xffff_ffff ? 0 : malloc(c * s)),
    realloc: (p, n) => {
      if (!p) return malloc(n);
      const q = malloc(n);
      if (q) heap.copy(q, p, Math.min(n, sizes.get(p) ?? 0));
      return q;
    },
  };
  return { ...base, ...over };
}

function run(ops: Op[], make: (heap: Heap, sim: SimHeap) => Allocator, opts: Partial<CheckerOptions> = {}, limit?: number) {
  const sim = new SimHeap({ seed: 3, limit });
  const alloc = make(createHeapPort(sim), sim);
  const checker = new Checker(sim, alloc, resolveCheckerOptions(opts));
  for (let i = 0; i < ops.length; i++) {
    const v = checker.step(ops[i]!, i);
    if (v) return v;
  }
  return checker.finish(ops.length);
}

const a = (id: number, size: number): Op => ({ kind: 'a', id, size });
const f = (id: number): Op => ({ kind: 'f', id });
const r = (id: number, size: number): Op => ({ kind: 'r', id, size });
const c = (id: number, count: number, size: number): Op => ({ kind: 'c', id, count, size });

describe('checker rules', () => {
  it('a correct allocator passes', () => {
    expect(run([a(0, 10), c(1, 3, 7), r(0, 100), f(1), f(-1), r(2, 5), f(0), f(2)], (h) => bump(h))).toBeNull();
  });

  it('misaligned: 8-byte aligned passes with alignment 8 but not 16', () => {
    const off8 = (h: Heap) => bump(h, { malloc: (n) => (h.sbrk(n + 8) as number) + 8 });
    expect(run([a(0, 8)], off8)?.kind).toBe('misaligned');
    expect(run([a(0, 8)], off8, { alignment: 8 })).toBeNull();
  });

  it('out-of-heap: a block that ends past the break', () => {
    const v = run([a(0, 64)], (h) => bump(h, { malloc: (n) => h.sbrk(n >> 1) as number }));
    expect(v?.kind).toBe('out-of-heap');
    expect(v?.size).toBe(64);
  });

  it('overlap: containment counts, the other block is named', () => {
    let big = 0;
    const v = run([a(0, 256), a(1, 16)], (h) =>
      bump(h, { malloc: (n) => (n === 256 ? (big = h.sbrk(256) as number) : big + 32) }),
    );
    expect(v?.kind).toBe('overlap');
    expect(v?.other?.blockId).toBe(0);
    expect(v?.op).toBe(1);
  });

  it('payload-corrupted: a write into a live block is found at the next free or sweep', () => {
    let first = 0;
    const v = run([a(0, 32), a(1, 32), f(1), f(0)], (h) =>
      bump(h, {
        malloc: (n) => {
          const p = h.sbrk(32) as number;
          first ||= p;
          return n ? p : 0;
        },
        free: (p) => {
          if (p !== first) h.store8(first + 5, 0); // scribbles into block 0
        },
      }),
    );
    expect(v?.kind).toBe('payload-corrupted');
    expect(v?.blockId).toBe(0);
    expect(v?.address).toBeGreaterThan(0);
    expect(v?.actual?.[0]).toBe(0);
    expect(v?.expected?.[0]).not.toBe(0);
  });

  it('calloc-not-zeroed on reused dirty memory; calloc-overflow when the product wraps', () => {
    let spare = 0;
    const reuse = (h: Heap) =>
      bump(h, {
        malloc: (n) => (spare ? spare : (h.sbrk(Math.max(16, n)) as number)),
        free: (p) => {
          spare = p;
        },
        calloc: (cnt, s) => (spare ? spare : (h.sbrk(cnt * s) as number)),
      });
    expect(run([a(0, 16), f(0), c(1, 4, 4)], reuse)?.kind).toBe('calloc-not-zeroed');
    const wrap = (h: Heap) => bump(h, { calloc: (cnt, s) => h.sbrk(Math.max(16, Math.imul(cnt, s) >>> 0)) as number });
    expect(run([c(0, 0x10000, 0x10001)], wrap)?.kind).toBe('calloc-overflow');
  });

  it('realloc-data-lost when the copy is short; a failed realloc must keep the block', () => {
    expect(run([a(0, 40), r(0, 80)], (h) => bump(h, { realloc: (_p, n) => h.sbrk(Math.ceil(n / 16) * 16) as number }))?.kind).toBe('realloc-data-lost');
    // NULL from realloc when sbrk really failed is fine, and the old block stays intact.
    expect(run([a(0, 40), r(0, 10_000), f(0)], (h) => bump(h), {}, 4096)).toBeNull();
  });

  it('spurious-null: NULL without a failed sbrk; fine when sbrk failed or the request can never fit', () => {
    expect(run([a(0, 100)], (h) => bump(h, { malloc: () => 0 }))?.kind).toBe('spurious-null');
    expect(run([a(0, 5000)], (h) => bump(h), {}, 4096)).toBeNull();
    expect(run([a(0, 0xffff_ffff)], (h) => bump(h, { malloc: () => 0 }))).toBeNull();
  });

  it('segfault: reported even when the allocator catches it', () => {
    const v = run([a(0, 8)], (h) =>
      bump(h, {
        malloc: () => {
          try {
            h.load32(0);
          } catch {
            /* swallowed */
          }
          return h.sbrk(16) as number;
        },
      }),
    );
    expect(v?.kind).toBe('segfault');
    expect(v?.address).toBe(0);
  });

  it('threw: an exception escaping the allocator', () => {
    const v = run([a(0, 8)], (h) => bump(h, { malloc: () => { throw new RangeError('nope'); } }));
    expect(v?.kind).toBe('threw');
    expect(v?.message).toContain('RangeError');
  });

  it('zero-size policy: any by default, enforced when configured', () => {
    const unique = (h: Heap) => bump(h, { malloc: (n) => h.sbrk(Math.max(16, n)) as number });
    expect(run([a(0, 0), a(1, 0)], unique)).toBeNull();
    expect(run([a(0, 0)], unique, { malloc0: 'null' })?.kind).toBe('zero-size-policy');
    expect(run([a(0, 0)], (h) => bump(h), { malloc0: 'unique' })?.kind).toBe('zero-size-policy');
    const same = (h: Heap) => bump(h, { malloc: () => h.base });
    expect(run([a(0, 0), a(1, 0)], (h) => { h.sbrk(16); return same(h); })?.kind).toBe('overlap');
  });

  it('heap-check-failed only in check-heap mode', () => {
    const make = (h: Heap) => ({ ...bump(h), check: () => ['bad'] });
    expect(run([a(0, 8)], make)).toBeNull();
    expect(run([a(0, 8)], make, { checkHeap: true })?.kind).toBe('heap-check-failed');
  });

  it('a non-number return is not an address', () => {
    const v = run([a(0, 8)], (h) => bump(h, { malloc: () => undefined as unknown as number }));
    expect(v?.kind).toBe('out-of-heap');
    expect(v?.message).toContain('not an address');
  });
});

describe('zero-size blocks and reused ids', () => {
  it('a zero-size pointer inside a live block is an overlap', () => {
    let first = 0;
    const v = run([a(0, 64), a(1, 0)], (h) =>
      bump(h, { malloc: (n) => (n === 0 ? first + 16 : (first = h.sbrk(64) as number)) }),
    );
    expect(v?.kind).toBe('overlap');
    expect(v?.other?.blockId).toBe(0);
  });

  it('malloc(0) handing out the break without sbrk, then the same address again, is an overlap', () => {
    const v = run([a(0, 0), a(1, 32)], (h) => bump(h, { malloc: (n) => (n === 0 ? h.brk : (h.sbrk(32) as number)) }));
    expect(v?.kind).toBe('overlap');
    expect(v?.op).toBe(1);
  });

  it('a minimal block from realloc(p, 0) is unique like malloc(0)', () => {
    const v = run([a(0, 16), r(0, 0), a(1, 0)], (h) => {
      let z = 0;
      return bump(h, {
        malloc: (n) => (n === 0 ? z : (h.sbrk(16) as number)),
        realloc: (p) => (z = p),
      });
    });
    expect(v?.kind).toBe('overlap');
    expect(v?.op).toBe(2);
  });

  it('a NULL malloc on a live id leaks the old block: a later free of the id is free(NULL)', () => {
    const freed: number[] = [];
    const v = run([a(0, 16), a(0, 0xffff_ffff), f(0)], (h) => bump(h, { free: (p) => void freed.push(p) }));
    expect(v).toBeNull();
    expect(freed).toEqual([0]);
  });
});
