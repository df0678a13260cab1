import { describe, expect, it } from 'vitest';
import { createHeapPort } from '../../harness/heap/heap-port.ts';
import { SegfaultError } from '../../harness/heap/segfault.ts';
import { SimHeap } from '../../harness/heap/sim-heap.ts';

describe('SimHeap', () => {
  it('has a non-zero, 4096-aligned base that depends on the seed', () => {
    const bases = new Set([1, 2, 3, 4, 5].map((seed) => new SimHeap({ seed }).base));
    for (const b of bases) {
      expect(b).toBeGreaterThan(0);
      expect(b % 4096).toBe(0);
    }
    expect(bases.size).toBeGreaterThan(1);
    expect(new SimHeap({ seed: 7 }).base).toBe(new SimHeap({ seed: 7 }).base);
  });

  it('sbrk grows, queries, shrinks no lower than base, and fails past the limit leaving the heap unchanged', () => {
    const h = new SimHeap({ limit: 8192 });
    expect(h.sbrk(0)).toBe(h.base);
    expect(h.sbrk(4096)).toBe(h.base);
    expect(h.brk).toBe(h.base + 4096);
    expect(h.sbrk(8192)).toBe(-1);
    expect(h.brk).toBe(h.base + 4096);
    expect(h.sbrk(-8192)).toBe(-1);
    expect(h.sbrk(-4096)).toBe(h.base + 4096);
    expect(h.brk).toBe(h.base);
    expect(h.stats.sbrkFailures).toBe(2);
    expect(h.stats.peakExtent).toBe(4096);
  });

  it('gives zeroed memory on growth, also after a shrink and regrow', () => {
    const h = new SimHeap();
    h.sbrk(64);
    h.fill(h.base, 0xff, 64);
    h.sbrk(-64);
    h.sbrk(64);
    for (let a = h.base; a < h.brk; a++) expect(h.load8(a)).toBe(0);
  });

  it('loads and stores little-endian, copies with memmove semantics', () => {
    const h = new SimHeap();
    h.sbrk(64);
    h.store32(h.base, 0x11223344);
    expect(h.load8(h.base)).toBe(0x44);
    expect(h.load16(h.base + 2)).toBe(0x1122);
    h.copy(h.base + 1, h.base, 4);
    expect(h.load32(h.base + 1)).toBe(0x11223344);
  });

  it.each([
    ['load32 at brk - 2', (h: SimHeap) => h.load32(h.brk - 2)],
    ['store8 below base', (h: SimHeap) => h.store8(h.base - 1, 1)],
    ['load8 of NULL', (h: SimHeap) => h.load8(0)],
    ['copy past the break', (h: SimHeap) => h.copy(h.base, h.brk - 4, 8)],
    ['fill past the break', (h: SimHeap) => h.fill(h.base + 8, 0, 64)],
    ['a fractional address', (h: SimHeap) => h.load8(h.base + 0.5)],
  ])('%s is a simulated segfault that is recorded even if caught', (_name, access) => {
    const h = new SimHeap();
    h.sbrk(64);
    h.currentOp = 7;
    expect(() => access(h)).toThrow(SegfaultError);
    expect(h.fault?.op).toBe(7);
  });

  it('hands the allocator only the contract', () => {
    const h = new SimHeap();
    const port = createHeapPort(h);
    expect(Object.keys(port).sort()).toEqual(['base', 'brk', 'copy', 'fill', 'load16', 'load32', 'load8', 'sbrk', 'store16', 'store32', 'store8']);
    expect((port as unknown as { view?: unknown }).view).toBeUndefined();
    port.sbrk(16);
    expect(port.brk).toBe(h.brk);
    expect(Object.isFrozen(port)).toBe(true);
  });
});
