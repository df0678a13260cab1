/**
 * The checker options the course profiles set, each against a tiny
 * TypeScript allocator that shows the difference (no compiler, no workers).
 */
import { describe, expect, it } from 'vitest';
import { Checker } from '../../harness/checker/checker.ts';
import { resolveCheckerOptions, type CheckerOptions } from '../../harness/checker/options.ts';
import type { Allocator, Heap } from '../../harness/contract/types.ts';
import { createHeapPort } from '../../harness/heap/heap-port.ts';
import { SimHeap } from '../../harness/heap/sim-heap.ts';
import type { Op } from '../../harness/trace/types.ts';
import { checkerFromConfig, KNOWN_NAMES } from '../../harness/config/test-options.ts';
import { resolveConfig } from '../../harness/config/load.ts';

/** sbrk on every call, never reuses: runs out of a small heap on a trace that only ever holds one block. */
function bump(heap: Heap, over: Partial<Allocator> = {}): Allocator {
  const malloc = (n: number): number => {
    if (n === 0 || n > 0x7fff_0000) return 0;
    const p = heap.sbrk(Math.ceil(n / 16) * 16);
    return p === -1 ? 0 : p;
  };
  return { malloc, free: () => {}, calloc: (c, s) => (c * s > 0xffff_ffff ? 0 : malloc(c * s)), realloc: (p, n) => malloc(n), ...over };
}

function run(ops: Op[], make: (heap: Heap) => Allocator, opts: Partial<CheckerOptions> = {}, limit?: number) {
  const sim = new SimHeap({ seed: 3, limit });
  const checker = new Checker(sim, make(createHeapPort(sim)), resolveCheckerOptions(opts));
  for (let i = 0; i < ops.length; i++) {
    const v = checker.step(ops[i]!, i);
    if (v) return v;
  }
  return checker.finish(ops.length);
}

const a = (id: number, size: number): Op => ({ kind: 'a', id, size });
const f = (id: number): Op => ({ kind: 'f', id });
const c = (id: number, count: number, size: number): Op => ({ kind: 'c', id, count, size });

describe('checker options of the profiles', () => {
  it('nullFails (mdriver): NULL after a real sbrk failure fails a trace the limit could hold; the checks allow it', () => {
    const ops: Op[] = [];
    for (let i = 0; i < 40; i++) ops.push(a(i, 4000), f(i));
    expect(run(ops, bump, {}, 65536)).toBeNull();
    const v = run(ops, bump, { nullFails: true }, 65536);
    expect(v).toMatchObject({ kind: 'out-of-memory', size: 4000 });
    expect(v?.message).toMatch(/mm_malloc failed/);
    // A request the limit could never hold is no failure, as in the checks.
    expect(run([a(0, 70000)], bump, { nullFails: true }, 65536)).toBeNull();
  });

  it('sizeTBits 64: calloc(65536, 65537) is not an overflow but a request past the limit (a non-NULL answer is out-of-heap)', () => {
    // Answers a huge calloc with a small block, as a 32-bit wrap-around would.
    const wraps = (h: Heap) => bump(h, { calloc: () => h.sbrk(16) as number });
    expect(run([c(0, 65536, 65537)], wraps)?.kind).toBe('calloc-overflow');
    expect(run([c(0, 65536, 65537)], wraps, { sizeTBits: 64 })?.kind).toBe('out-of-heap');
    expect(run([c(0, 65536, 65537)], bump, { sizeTBits: 64 })).toBeNull();
  });

  it('freeNullOfFailed false: a NULL the allocator returned is not freed (2002 handout); an explicit free(NULL) still is', () => {
    const calls: number[] = [];
    const noisy = (h: Heap) => bump(h, { free: (p) => void calls.push(p) });
    expect(run([a(0, 0), f(0)], noisy, { freeNullOfFailed: false })).toBeNull();
    expect(calls).toEqual([]);
    run([a(0, 0), f(0), f(-1)], noisy, { freeNullOfFailed: false });
    expect(calls).toEqual([0]);
    calls.length = 0;
    run([a(0, 0), f(0)], noisy);
    expect(calls).toEqual([0]);
  });

  it('CS 341 sets no alignment: its workloads and traces do not fail a pointer 8 bytes off 16 (only the alignment check looks)', () => {
    const off8 = (heap: Heap): Allocator => bump(heap, { malloc: (n: number) => { const p = heap.sbrk(Math.ceil(n / 16) * 16 + 16); return p === -1 ? 0 : p + 8; } });
    const ops: Op[] = [a(0, 24), a(1, 40), f(0), f(1)];
    const cs341 = checkerFromConfig(resolveConfig({ profile: 'cs341' }, KNOWN_NAMES));
    expect(cs341.tolerate).toContain('misaligned');
    expect(run(ops, off8, cs341)).toBeNull();
    const strict = checkerFromConfig(resolveConfig({ profile: 'heapgrade' }, KNOWN_NAMES));
    expect(strict.tolerate).not.toContain('misaligned');
    expect(run(ops, off8, strict)?.kind).toBe('misaligned');
  });
});
