/**
 * What a TypeScript allocator keeps outside the heap from the start is
 * bounded absolutely (issue 19): per-block tables allocated once, at full
 * size, in createAllocator or at the module's top level fail
 * off-heap-metadata (nothing grows, so the growth measurement alone passed
 * them); the same allocator with its metadata in block headers passes, and
 * so do the references and the template, whose few list heads are within
 * the allowance, counted exactly.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSubmission } from '../../harness/loader/load.ts';
import { OFF_HEAP_ALLOWANCE_BYTES, OffHeapLedger } from '../../harness/offheap/ledger.ts';
import { runTests } from '../../harness/runner/run-tests.ts';
import { tablesVariant } from './variants.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('the ledger of tables made at the start', () => {
  it('counts each buffer once, a resizable one at its maximum, arrays and collections at their size when the phase ends', () => {
    const ledger = new OffHeapLedger();
    const shared = new ArrayBuffer(64);
    const { tally } = ledger.measure(() => {
      ledger.note(new Uint32Array(shared));
      ledger.note(new Uint8Array(shared, 8)); // the same buffer: once
      ledger.note(new (ArrayBuffer as unknown as new (n: number, o: object) => ArrayBuffer)(16, { maxByteLength: 4096 }));
      const list: number[] = [];
      ledger.note(list);
      for (let i = 0; i < 10; i++) list.push(i); // grown after it was met: counted at the end
      ledger.note(new Map([[1, 2], [3, 4]]));
    });
    expect(tally.bytes).toBe(64 + 4096 + 10 * 8 + 2 * 16);
    expect(tally.biggest).toEqual({ what: 'an ArrayBuffer of 4096 bytes', bytes: 4096 });
    // Outside a phase nothing counts; a buffer counted once is not counted by a later phase.
    ledger.note(new ArrayBuffer(1 << 20));
    expect(ledger.measure(() => ledger.note(new Uint8Array(shared))).tally.bytes).toBe(0);
  });

  it('the references and the template keep their list heads within the allowance', async () => {
    for (const spec of ['ref:reference', 'ref:first-fit', 'ref:best-fit', join(ROOT, 'student-template/ts/allocator.ts')]) {
      const loaded = await loadSubmission(spec);
      const made = loaded.madeAtLoad!.bytes + loaded.instantiate({ seed: 1, limit: 1 << 20 }).madeOffHeap!.bytes;
      expect({ spec, within: made <= OFF_HEAP_ALLOWANCE_BYTES }).toEqual({ spec, within: true });
    }
    // The reference's segregated lists: 55 heads and 2 words of bitmap, exactly.
    const ref = await loadSubmission('ref:reference');
    expect(ref.madeAtLoad!.bytes + ref.instantiate({ seed: 1, limit: 1 << 20 }).madeOffHeap!.bytes).toBe(55 * 4 + 2 * 4);
  }, 120_000);
});

describe('off-heap-metadata bounds what is kept from the start', () => {
  it('tables made in createAllocator, at load or by the first malloc fail, counted exactly; the header control and the reference pass', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heapgrade-tables-'));
    const verdict = async (where: 'heap' | 'factory' | 'module' | 'first-call' | 'ref:reference') => {
      const r = await runTests(where.startsWith('ref:') ? where : tablesVariant(where as 'heap', dir), { checks: ['off-heap-metadata'], jobs: 1 });
      expect(r.error).toBeUndefined();
      return r.checks[0]!;
    };
    const factory = await verdict('factory');
    expect(factory.status).toBe('fail');
    expect(factory.violations[0]!.message).toBe(
      'the allocator keeps 33554692 bytes of typed arrays, arrays and collections outside the heap from the start ' +
        `(0 made when the module loaded, 33554692 made in createAllocator, 0 made in its first 1000 mallocs; at most ${OFF_HEAP_ALLOWANCE_BYTES} allowed); ` +
        'biggest: a Uint32Array of 16777216 bytes, made in createAllocator',
    );
    const module = await verdict('module');
    expect(module.status).toBe('fail');
    expect(module.violations[0]!.message).toMatch(/\(33554432 made when the module loaded, 260 made in createAllocator, 0 made in its first 1000 mallocs; .*made when the module loaded$/);
    // Made by the first malloc: before the growth measurement's first snapshot, counted with the first calls.
    const firstCall = await verdict('first-call');
    expect(firstCall.status).toBe('fail');
    expect(firstCall.violations[0]!.message).toMatch(/\(0 made when the module loaded, 260 made in createAllocator, 33554432 made in its first 1000 mallocs; .*made in its first 1000 mallocs$/);
    expect((await verdict('ref:reference')).status).toBe('pass');
    const control = await verdict('heap');
    expect(control.status, JSON.stringify(control.violations)).toBe('pass');
  }, 600_000);
});
