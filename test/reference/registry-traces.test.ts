import { describe, expect, it } from 'vitest';
import type { Op } from '../../harness/trace/types.ts';
import { REFERENCE_ALLOCATORS, findReference } from '../../reference/index.ts';
import * as naive from '../../reference/naive.ts';
import * as bestFit from '../../reference/placement/best-fit.ts';
import * as firstFit from '../../reference/placement/first-fit.ts';
import * as nextFit from '../../reference/placement/next-fit.ts';
import * as worstFit from '../../reference/placement/worst-fit.ts';
import * as reference from '../../reference/reference.ts';
import { explain, randomTrace, replay } from './replay.ts';

describe('the registry', () => {
  it('names exactly the built-in TypeScript allocators of DESIGN.md', () => {
    expect(REFERENCE_ALLOCATORS.map((r) => r.name)).toEqual(['reference', 'naive', 'first-fit', 'next-fit', 'best-fit', 'worst-fit']);
    expect(findReference('best-fit')?.language).toBe('ts');
    expect(findReference('ref:best-fit')).toBeUndefined();
  });

  it('lets each module be loaded as a submission (default export and createAllocator)', () => {
    const modules = { reference, naive, firstFit, nextFit, bestFit, worstFit };
    for (const [name, mod] of Object.entries(modules)) {
      expect(typeof mod.default, name).toBe('function');
      expect(mod.createAllocator, name).toBe(mod.default);
    }
  });
});

/** Edge cases every allocator must get right, in one trace. */
const EDGE_OPS: Op[] = [
  { kind: 'a', id: 0, size: 0 },
  { kind: 'a', id: 1, size: 1 },
  { kind: 'c', id: 2, count: 0x10000, size: 0x10001 }, // overflows 32 bits: NULL
  { kind: 'c', id: 3, count: 0, size: 100 },
  { kind: 'a', id: 4, size: 0xffff_ffff }, // larger than any heap: NULL
  { kind: 'a', id: 5, size: 0xffff_fff0 },
  { kind: 'r', id: 1, size: 0xffff_fffc }, // fails: b1 must stay intact
  { kind: 'r', id: 1, size: 3000 },
  { kind: 'f', id: -1 },
  { kind: 'r', id: 6, size: 40 }, // realloc(NULL, 40)
  { kind: 'r', id: 6, size: 0 },
  { kind: 'f', id: 0 },
  { kind: 'f', id: 1 },
  { kind: 'f', id: 3 },
];

describe.each(REFERENCE_ALLOCATORS.map((r) => [r.name, r] as const))('%s', (_name, entry) => {
  it('handles zero sizes, overflow and impossible requests', () => {
    expect(explain(replay(entry.factory, EDGE_OPS).violation)).toBe('none');
  });

  it.each([1, 2, 3])('replays a random trace (seed %i) with no violation', (seed) => {
    const ops = randomTrace(seed, { ops: 3000 });
    const { violation, checker } = replay(entry.factory, ops, { seed });
    expect(explain(violation)).toBe('none');
    expect(checker.stats.ops).toBe(ops.length);
  });

  it('passes with 8-byte alignment required and the heap checked after every op', () => {
    const { violation } = replay(entry.factory, randomTrace(7, { ops: 1500, maxSize: 300 }), { checker: { alignment: 8, checkHeap: true } });
    expect(explain(violation)).toBe('none');
  });
});
