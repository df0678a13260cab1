/** The off-heap measurement counts state that grows per block, not a fixed amount that appears once. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSubmission } from '../../harness/loader/load.ts';
import { measureOffHeap, OFF_HEAP_BYTES_PER_BLOCK } from '../../harness/offheap/measure.ts';

const zoo = (n: string): string => fileURLToPath(new URL(`../fixtures/zoo/${n}.ts`, import.meta.url));
const meter = (n: string): string => fileURLToPath(new URL(`../fixtures/meter/${n}.ts`, import.meta.url));
const options = { seed: 1, limit: 64 << 20 };

describe('measureOffHeap', () => {
  it('finds a free list kept in a JavaScript array (it grows in both halves of the frees)', async () => {
    const m = measureOffHeap(await loadSubmission(zoo('off-heap-free-list')), options);
    expect(m.bytesPerFreedBlock).toBeGreaterThan(OFF_HEAP_BYTES_PER_BLOCK);
  }, 120_000);

  it('does not count a table made once, in one half of the frees (as V8 compiling the free path does)', async () => {
    const m = measureOffHeap(await loadSubmission(meter('one-off-table')), options);
    expect(m.reached).toBe(100_000);
    expect(m.bytesPerFreedBlock).toBe(0);
  }, 120_000);
});
