import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LiveIndex } from '../../harness/checker/live-index.ts';

describe('LiveIndex', () => {
  // Starts are granules of 1 here (any integer); the checker uses its alignment.
  it('finds containment, partial overlap on both sides, and touching ranges as no overlap', () => {
    const idx = new LiveIndex();
    idx.insert(100, 200, 1);
    expect(idx.findOverlap(120, 130)?.id).toBe(1); // inside
    expect(idx.findOverlap(50, 300)?.id).toBe(1); // contains
    expect(idx.findOverlap(50, 101)?.id).toBe(1);
    expect(idx.findOverlap(199, 250)?.id).toBe(1);
    expect(idx.findOverlap(200, 250)).toBeNull();
    expect(idx.findOverlap(50, 100)).toBeNull();
    idx.remove(100);
    expect(idx.findOverlap(120, 130)).toBeNull();
    expect(idx.size).toBe(0);
  });

  it('agrees with a linear scan on random disjoint sets', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.oneof(fc.nat(1000), fc.nat(3_000_000)), fc.integer({ min: 1, max: 50 })), { maxLength: 60 }), fc.oneof(fc.nat(1000), fc.nat(3_000_000)), fc.oneof(fc.integer({ min: 1, max: 80 }), fc.integer({ min: 1, max: 2_000_000 })), (ranges, qs, ql) => {
        const idx = new LiveIndex();
        const kept: [number, number][] = [];
        for (const [s, l] of ranges) {
          if (kept.some(([a, b]) => s < b && a < s + l)) continue;
          kept.push([s, s + l]);
          idx.insert(s, s + l, kept.length);
        }
        const linear = kept.some(([a, b]) => qs < b && a < qs + ql);
        expect(idx.findOverlap(qs, qs + ql) !== null).toBe(linear);
        expect(idx.entries().map((e) => e.start)).toEqual(kept.map(([a]) => a).sort((x, y) => x - y));
      }),
      { seed: 42, numRuns: 500 },
    );
  });

  it('agrees with a linear scan through inserts and removes spread over many doublings', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.oneof(fc.nat(2000), fc.nat(1 << 26)), fc.integer({ min: 1, max: 64 })), { maxLength: 80 }),
        fc.array(fc.tuple(fc.oneof(fc.nat(2000), fc.nat(1 << 26)), fc.integer({ min: 1, max: 1 << 20 })), { maxLength: 10 }),
        (steps, queries) => {
          // Base 4096 and granule 16, as the checker builds it; starts are granule multiples.
          const idx = new LiveIndex(4096, 16);
          let kept: [number, number][] = [];
          for (const [add, g, len] of steps) {
            const s = 4096 + g * 16;
            if (!add) {
              idx.remove(s);
              kept = kept.filter(([a]) => a !== s);
            } else if (!kept.some(([a, b]) => s < b && a < s + len)) {
              kept.push([s, s + len]);
              idx.insert(s, s + len, kept.length);
            }
          }
          expect(idx.size).toBe(kept.length);
          expect(idx.entries().map((e) => [e.start, e.end])).toEqual([...kept].sort((x, y) => x[0] - y[0]));
          for (const [g, len] of queries) {
            const q = 4096 + g * 16 - 8; // also off-granule and below the base
            const linear = kept.find(([a, b]) => q < b && a < q + len);
            expect(idx.findOverlap(q, q + len) !== null).toBe(linear !== undefined);
          }
        },
      ),
      { seed: 7, numRuns: 300 },
    );
  });
});
