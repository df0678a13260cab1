/**
 * The growth measurement asks for some larger blocks too (issue 22 item 5):
 * with sizes of 8 to 40 bytes only, an allocator could keep per-block
 * JavaScript objects for the blocks over 64 bytes alone and the measurement
 * never saw them. test/fixtures/offheap/big-blocks.ts keeps each such
 * block's size and link in a Map of objects; its control keeps them in
 * a header like the small ones, doing the same work plainly.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { offHeapBlockSize } from '../../harness/offheap/measure.ts';
import { runTests } from '../../harness/runner/run-tests.ts';
import { copyFixture } from './variants.ts';

const dir = mkdtempSync(join(tmpdir(), 'heapgrade-big-blocks-'));

/** The fixture with its big blocks' metadata kept in `where`, as a submission of its own. */
function variant(where: 'heap' | 'map'): string {
  const file = copyFixture('offheap/big-blocks.ts', dir, `${where}.ts`);
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^const BIG = 'map'/m, `const BIG = '${where}'`));
  return file;
}

describe('off-heap-metadata with larger blocks in its mix', () => {
  it('asks for one block in eight of 72 to 512 bytes, the rest 8 to 40', () => {
    const sizes = Array.from({ length: 4096 }, (_, n) => offHeapBlockSize(n));
    const big = sizes.filter((s) => s > 64);
    expect(big.length).toBe(4096 / 8);
    expect(Math.min(...big)).toBeGreaterThanOrEqual(72);
    expect(Math.max(...big)).toBeLessThanOrEqual(512);
    expect(new Set(big).size).toBeGreaterThanOrEqual(8);
    expect(Math.max(...sizes.filter((s) => s <= 64))).toBe(40);
  });

  it('per-block objects kept only for blocks over 64 bytes fail; the same allocator with headers passes', async () => {
    const check = async (where: 'heap' | 'map') => {
      const r = await runTests(variant(where), { checks: ['off-heap-metadata'], jobs: 1 });
      expect(r.error).toBeUndefined();
      return r.checks[0]!;
    };
    const hostile = await check('map');
    expect(hostile.status).toBe('fail');
    expect(hostile.violations[0]!.message).toMatch(/^the allocator's own JavaScript memory grew by about [\d.]+ bytes per live block as live blocks went from 1000 to 100000/);
    const control = await check('heap');
    expect(control.status, JSON.stringify(control.violations)).toBe('pass');
  }, 300_000);

  it('a malloc of a larger block returning an object whose Symbol.toPrimitive throws ends the growth, never converted in the kit', async () => {
    // Served plainly up to 100 bytes, an object above (test/fixtures/attack/return-toprimitive.ts): the growth stops at the
    // first larger block; the checks that judge pointers fail it, and off-heap-metadata is no kit error.
    const r = await runTests(fileURLToPath(new URL('../fixtures/attack/return-toprimitive.ts', import.meta.url)), { checks: ['off-heap-metadata'], jobs: 1 });
    expect(r.error).toBeUndefined();
    expect(r.checks[0]!.status, JSON.stringify(r.checks[0])).toBe('pass');
  }, 300_000);
});
