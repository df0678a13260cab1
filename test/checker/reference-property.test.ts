/** fast-check: random traces on the reference allocator never produce a violation (no false positives). */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { Checker } from '../../harness/checker/checker.ts';
import { resolveCheckerOptions } from '../../harness/checker/options.ts';
import { createHeapPort } from '../../harness/heap/heap-port.ts';
import { SimHeap } from '../../harness/heap/sim-heap.ts';
import type { Op } from '../../harness/trace/types.ts';
import { REFERENCE_ALLOCATORS } from '../../reference/index.ts';

const size = fc.oneof(fc.constantFrom(0, 1, 8, 15, 16, 17, 4095, 4096, 4097), fc.nat(600), fc.integer({ min: 600, max: 70_000 }));
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('a' as const), id: fc.nat(30), size }),
  fc.record({ kind: fc.constant('f' as const), id: fc.integer({ min: -1, max: 30 }) }),
  fc.record({ kind: fc.constant('r' as const), id: fc.nat(30), size }),
  fc.record({ kind: fc.constant('c' as const), id: fc.nat(30), count: fc.oneof(fc.nat(40), fc.constant(0x10001)), size: fc.oneof(fc.nat(200), fc.constant(0x10000)) }),
);

describe('no false positives', () => {
  it.each(REFERENCE_ALLOCATORS.map((r) => [r.name, r] as const))('%s passes random traces on small and default heaps', (_n, ref) => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), fc.constantFrom(64 * 1024, 1 << 20, 64 << 20), fc.constantFrom<8 | 16>(8, 16), (ops, limit, alignment) => {
        const sim = new SimHeap({ seed: ops.length + 1, limit });
        const checker = new Checker(sim, ref.factory(createHeapPort(sim)), resolveCheckerOptions({ alignment, sweepEvery: 1 }));
        ops.forEach((o, i) => {
          const v = checker.step(o, i);
          if (v) throw new Error(`${v.kind} at op ${i}: ${v.message}`);
        });
        const v = checker.finish(ops.length);
        if (v) throw new Error(`${v.kind} at the end: ${v.message}`);
      }),
      { seed: 20261127, numRuns: 150 },
    );
  });
});
