/**
 * Correct C allocators, in both styles, pass a few thousand random
 * operations through the real Checker; so do the C reference (with its own
 * mm_checkheap after every op for part of the run) and dlmalloc.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCSubmission, loadDlmalloc } from '../../harness/wasm/load.ts';
import { C_REFERENCE_ALLOCATORS } from '../../reference/c/index.ts';
import { FIXTURES, randomOps, runOps } from './helpers.ts';

const LIMIT = 16 * 1024 * 1024;

describe('correct C allocators pass the checker', () => {
  it.each([
    ['malloclab style (naive)', 'naive-malloclab.c', 'malloclab'],
    ['libc style (CS 341 alloc.c)', 'libc-alloc.c', 'libc'],
    ['zoo control (no bug)', 'zoo/correct.c', 'malloclab'],
    ['the student template (student-template/c/mm.c)', '../../../student-template/c/mm.c', 'malloclab'],
  ])('%s', async (_label, file, style) => {
    const sub = await loadCSubmission(path.join(FIXTURES, file));
    expect(sub.compiled.api.style).toBe(style);
    for (const seed of [1, 2]) {
      const inst = sub.instantiate({ seed, limit: LIMIT });
      expect(runOps(inst, randomOps(seed, 3000))).toBeNull();
      expect(inst.heap.stats.sbrkCalls).toBeGreaterThan(0);
    }
  });

  it('the C reference passes, with its mm_checkheap clean after every op', async () => {
    const ref = C_REFERENCE_ALLOCATORS.find((r) => r.name === 'reference-c')!;
    const sub = await ref.load();
    expect(sub.spec).toBe('ref:reference-c');
    expect(sub.compiled.api).toMatchObject({ style: 'malloclab', checkheap: 'bool', calloc: 'own' });
    expect(sub.staticData!.bytes).toBeLessThanOrEqual(128);
    const inst = sub.instantiate({ seed: 3, limit: LIMIT });
    expect(runOps(inst, randomOps(3, 1500), { checkHeap: true })).toBeNull();
    const big = sub.instantiate({ seed: 4, limit: LIMIT });
    expect(runOps(big, randomOps(4, 5000))).toBeNull();
    // It reuses memory: the heap stays well under the sum of requests.
    expect(big.heap.stats.peakExtent).toBeLessThan(2 * 1024 * 1024);
  });

  it('dlmalloc from wasi-libc runs on the kit heap and passes', async () => {
    const sub = await loadDlmalloc();
    expect(sub.staticData).toBeUndefined();
    const inst = sub.instantiate({ seed: 5, limit: LIMIT });
    expect(runOps(inst, randomOps(5, 3000))).toBeNull();
  });

  it('runs out of memory gracefully: NULL only after a failed sbrk, and keeps working', async () => {
    const ref = await C_REFERENCE_ALLOCATORS.find((r) => r.name === 'reference-c')!.load();
    const inst = ref.instantiate({ seed: 6, limit: 64 * 1024 });
    const ops = [
      { kind: 'a', id: 0, size: 40_000 },
      { kind: 'a', id: 1, size: 40_000 }, // does not fit: NULL after sbrk fails
      { kind: 'f', id: 0 },
      { kind: 'a', id: 2, size: 40_000 },
    ] as const;
    expect(runOps(inst, ops)).toBeNull();
    expect(inst.heap.stats.sbrkFailures).toBeGreaterThan(0);
  });
});
