import { describe, expect, it } from 'vitest';
import type { Op } from '../../harness/trace/types.ts';
import { REFERENCE_ALLOCATORS } from '../../reference/index.ts';
import { explain, replay } from './replay.ts';

const LIMIT = 64 * 1024;

/**
 * Allocate 1000-byte blocks until well past what 64 KiB holds, free every
 * other one, allocate again (small and large), then free everything and
 * allocate once more. The checker fails any NULL that no failed sbrk
 * explains, any corrupted block and any exception.
 */
function exhaustionOps(): Op[] {
  const ops: Op[] = [];
  const n = 100; // 100 KB requested of a 64 KiB heap
  for (let id = 0; id < n; id++) ops.push({ kind: 'a', id, size: 1000 });
  for (let id = 0; id < n; id += 2) ops.push({ kind: 'f', id });
  for (let id = n; id < 2 * n; id++) ops.push(id % 3 === 0 ? { kind: 'c', id, count: 10, size: 50 } : { kind: 'a', id, size: 200 + (id % 7) * 100 });
  for (let id = 1; id < n; id += 2) ops.push({ kind: 'r', id, size: 3000 }); // grows that may fail: NULL, old block intact
  ops.push({ kind: 'a', id: 2 * n, size: LIMIT }); // larger than the heap can ever hold
  for (let id = 0; id < 2 * n; id++) ops.push({ kind: 'f', id });
  ops.push({ kind: 'a', id: 2 * n + 1, size: 40_000 }); // fits again once everything is free
  ops.push({ kind: 'f', id: 2 * n + 1 });
  return ops;
}

describe.each(REFERENCE_ALLOCATORS.map((r) => [r.name, r] as const))('%s when memory runs out', (name, entry) => {
  it('returns NULL without throwing and keeps working', () => {
    const ops = exhaustionOps();
    const { violation, sim } = replay(entry.factory, ops, { limit: LIMIT, checker: { checkHeap: true } });
    expect(explain(violation)).toBe('none');
    expect(sim.stats.sbrkFailures).toBeGreaterThan(0); // the trace really ran the heap dry
    expect(sim.brk - sim.base).toBeLessThanOrEqual(LIMIT);
  });

  it.runIf(name !== 'naive')('serves requests from freed memory after running out', () => {
    const ops = exhaustionOps().slice(0, -1); // stop before the last free
    const { violation, checker } = replay(entry.factory, ops, { limit: LIMIT });
    expect(explain(violation)).toBe('none');
    expect(checker.ptrOf(201)).toBeGreaterThan(0); // the 40 000-byte block, served from freed memory
  });
});

describe.each(REFERENCE_ALLOCATORS.map((r) => [r.name, r] as const))('%s on a heap with no room at all', (_name, entry) => {
  it('returns NULL from every call', () => {
    const ops: Op[] = [
      { kind: 'a', id: 0, size: 1 },
      { kind: 'c', id: 1, count: 1, size: 1 },
      { kind: 'r', id: 2, size: 1 },
      { kind: 'f', id: 0 },
    ];
    expect(explain(replay(entry.factory, ops, { limit: 0 }).violation)).toBe('none');
  });
});
