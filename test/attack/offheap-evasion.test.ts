/**
 * Red team of off-heap-metadata (issue 19 item 3). Two ways to keep every
 * block's size and link outside the heap that the rule on main does not see
 * (test/fixtures/attack/lazy-tables.ts, beside its honest control with
 * headers in the heap):
 * - 'lazy': 32 MiB of typed arrays made by the FIRST malloc. The ledger
 *   (offheap/ledger.ts) counts only what is made at load and in
 *   createAllocator; the growth measurement (offheap/measure.ts) samples
 *   first after 1000 blocks, when the table already exists, so nothing grows.
 * - 'literal': plain arrays filled index by index at load (`t[i] = 0`, no
 *   builtin call, no `new`): the README's known gap; with the exact-size
 *   lists it scored 64.28 against the control's 64.00 (grade, speed cost,
 *   coalescing/random-churn/tiny-blocks/calloc-heavy).
 * - 'late': the same tables made by the first malloc of more than 64 bytes,
 *   holding only the blocks over 64 bytes (smaller ones keep headers). The
 *   off-heap check asks for 8 to 40 bytes (measure.ts's sizes and warm-up),
 *   so it never makes them: the rule is a test the allocator can tell
 *   apart from a workload. It passes; its grade is lower than the control's
 *   here (46.04 against 64.00: 8M steps to make the tables, charged per
 *   instance, on short workloads), but the metadata is off the heap all the
 *   same. A fix needs the ledger to see what any call makes (every workload
 *   and check), not only the first 1000 mallocs of one instance.
 * - 'bound' (fixed): 32 MiB of typed arrays made at load by
 *   `Uint32Array.from.bind(Uint32Array)` called plainly. `from` is
 *   %TypedArray%'s own, which no cost table held: the bind was a plain one
 *   and the call neither charged nor noted. Now charged and counted.
 * 'lazy' was closed on main meanwhile (8ee16b4: what the first 1000 mallocs
 * make counts too). 'literal' and 'late' pass today, so they are `it.fails`:
 * the owner of the off-heap rule turns them into `it` when the rule sees them.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runTests } from '../../harness/runner/run-tests.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../fixtures/attack/lazy-tables.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'heapgrade-attack-offheap-'));

/** The fixture with its metadata kept in `where`, as a submission of its own (kit imports absolute). */
type Where = 'heap' | 'lazy' | 'literal' | 'bound' | 'late';
function variant(where: Where): string {
  const file = join(dir, `${where}.ts`);
  const source = readFileSync(FIXTURE, 'utf8')
    .replace(/'(\.\.\/)+harness\//g, `'${ROOT}harness/`)
    .replace(/^const TABLES = 'lazy'/m, `const TABLES = '${where}'`);
  writeFileSync(file, source);
  return file;
}

async function offHeap(where: Where) {
  const r = await runTests(variant(where), { checks: ['off-heap-metadata'], jobs: 1 });
  expect(r.error).toBeUndefined();
  return r.checks[0]!;
}

describe('off-heap metadata the rule does not see (red team)', () => {
  it('the honest control, headers in the heap, passes', async () => {
    const control = await offHeap('heap');
    expect(control.status, JSON.stringify(control.violations)).toBe('pass');
  }, 300_000);

  it('typed arrays made at load by a bound Uint32Array.from fail off-heap-metadata, counted exactly', async () => {
    const bound = await offHeap('bound');
    expect(bound.status).toBe('fail');
    expect(bound.violations[0]!.message).toMatch(/^the allocator keeps 33554692 bytes .*\(33554432 made when the module loaded, .*biggest: a Uint32Array of 16777216 bytes, made when the module loaded$/);
  }, 300_000);

  it('a full-size table made by the first malloc fails off-heap-metadata (closed by 8ee16b4)', async () => {
    const lazy = await offHeap('lazy');
    expect(lazy.status).toBe('fail');
    expect(lazy.violations[0]!.message).toMatch(/33554432 made in its first 1000 mallocs/);
  }, 300_000);

  it.fails('tables made by the first malloc larger than the off-heap check ever asks for fail off-heap-metadata', async () => {
    expect((await offHeap('late')).status).toBe('fail');
  }, 300_000);

  it.fails('tables filled index by index at load fail off-heap-metadata', async () => {
    expect((await offHeap('literal')).status).toBe('fail');
  }, 300_000);
});
