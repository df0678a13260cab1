import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import createAllocator from '../../student-template/ts/allocator.ts';
import { explain, randomTrace, replay } from './replay.ts';

const SOURCE = readFileSync(new URL('../../student-template/ts/allocator.ts', import.meta.url), 'utf8');

describe('the TypeScript student template', () => {
  it('is self-contained: a student copies one file and it compiles without the kit', () => {
    expect(SOURCE).not.toMatch(/^\s*import\s/m);
  });

  it('numbers its TODOs 1 to 9 in order', () => {
    const numbers = [...SOURCE.matchAll(/TODO (\d+) \(/g)].map((m) => Number(m[1]));
    expect(numbers).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it.each([1, 2])('starts out correct: random trace %i passes the checker', (seed) => {
    const { violation } = replay(createAllocator, randomTrace(seed, { ops: 2000 }), { seed, checker: { checkHeap: true } });
    expect(explain(violation)).toBe('none');
  });

  it('starts out correct when memory runs out', () => {
    const ops = Array.from({ length: 100 }, (_, id) => ({ kind: 'a' as const, id, size: 1000 }));
    const { violation, sim } = replay(createAllocator, ops, { limit: 64 * 1024 });
    expect(explain(violation)).toBe('none');
    expect(sim.stats.sbrkFailures).toBeGreaterThan(0);
  });
});
