/**
 * Red team of off-heap-metadata, third round (issue 19 item 3, red team 7),
 * against the retained-memory bound (harness/offheap/retained.ts) and the
 * growth measurement (offheap/measure.ts). Tables kept in function objects
 * (which the ledger never meets), made at other times than load
 * (test/fixtures/attack/unmet-tables.ts `WHEN`), each beside the honest control
 * (headers in the heap), and honest allocators with what students add while
 * they debug (test/fixtures/offheap/student-styles.ts), which must pass:
 * - 'grow': the tables grow with the blocks at module level. The growth
 *   check's first measurement saw 67 bytes a block; its second, of the same
 *   module, found them full size and kept the smaller growth, 0. A first
 *   growth beyond what the module's code could cost once now stands.
 * - 'ballast': the tables at load, hidden from the retained bound by a 32 MiB
 *   string made by the last call before each snapshot and held only by the
 *   ledger's list of the call's items. The ledger lets go before every
 *   snapshot (ledger.ts `release`).
 * - 'large': per-instance tables from the first malloc of 1 KiB or more; the
 *   growth measurement now makes one block of each large size and a calloc
 *   before its first snapshot.
 * - 'nth': per-instance tables from the module's third instance on; both
 *   measurements now come after 16 instances of the module.
 * Each passed all 14 checks of `test` before (grade 65.09 against the
 * control's 65.00).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runTests } from '../../harness/runner/run-tests.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'heapgrade-attack-offheap3-'));

/** A fixture with one of its constants replaced, as a submission of its own (kit imports absolute). */
function variant(fixture: string, name: string, replace: [RegExp, string][]): string {
  let source = readFileSync(fileURLToPath(new URL(`../fixtures/${fixture}`, import.meta.url)), 'utf8').replace(/'(\.\.\/)+harness\//g, `'${ROOT}harness/`);
  for (const [from, to] of replace) {
    expect(source).toMatch(from);
    source = source.replace(from, to);
  }
  const file = join(dir, `${name}.ts`);
  writeFileSync(file, source);
  return file;
}

type When = 'grow' | 'ballast' | 'large' | 'nth';
const hostile = (when: When) => variant('attack/unmet-tables.ts', when, [[/^const WHEN = 'load'/m, `const WHEN = '${when}'`]]);
const control = () => variant('attack/unmet-tables.ts', 'control', [[/^const WHERE = 'fn'/m, "const WHERE = 'heap'"]]);
type Style = 'plain' | 'log' | 'print' | 'gen';
const honest = (style: Style) => variant('offheap/student-styles.ts', `style-${style}`, [[/^const MODE = 'plain'/m, `const MODE = '${style}'`]]);

async function verdict(file: string) {
  const r = await runTests(file, {
    checks: ['off-heap-metadata', 'churn'],
    jobs: 1,
  });
  expect(r.error).toBeUndefined();
  // Each is a working allocator: a failure below is its off-heap verdict only.
  expect(r.checks.find((c) => c.name === 'churn')!.status).toBe('pass');
  return r.checks.find((c) => c.name === 'off-heap-metadata')!;
}

describe('off-heap tables made late, lazily or behind garbage (red team 7)', () => {
  it('the control, headers in the heap, passes', async () => {
    const c = await verdict(control());
    expect(c.status, JSON.stringify(c.violations)).toBe('pass');
  }, 300_000);

  it('module-level tables grown with the blocks fail, though a second measurement of the module sees no growth', async () => {
    const c = await verdict(hostile('grow'));
    expect(c.status).toBe('fail');
    expect(c.violations[0]!.message).toMatch(/grew by about \d+\.\d bytes per live block/);
  }, 300_000);

  // The retained bound failed it once the ledger let go before each snapshot (ledger.ts `release`, tested in
  // test/offheap/tables.test.ts); the ledger now counts these tables itself, as values bound to the module's variables.
  it('tables at load hidden by garbage the ledger held at the snapshots fail', async () => {
    const c = await verdict(hostile('ballast'));
    expect(c.status).toBe('fail');
    expect(c.violations[0]!.message).toMatch(/^the allocator keeps \d+ bytes of typed arrays, arrays, objects and collections outside the heap/);
    expect(c.violations[0]!.size).toBeGreaterThan(16 << 20);
  }, 300_000);

  it('per-instance tables from the first malloc of 1 KiB or more fail', async () => {
    const c = await verdict(hostile('large'));
    expect(c.status).toBe('fail');
    expect(c.violations[0]!.message).toMatch(/grew by about \d+\.\d bytes per live block/);
  }, 300_000);

  it("per-instance tables from the module's third instance on fail", async () => {
    const c = await verdict(hostile('nth'));
    expect(c.status).toBe('fail');
    expect(c.violations[0]!.message).toMatch(/grew by about \d+\.\d bytes per live block/);
  }, 300_000);

  for (const [style, what] of [
    ['plain', 'nothing else'],
    ['log', 'a debug trace string of up to 64K characters, appended in every call'],
    ['print', 'console.log in every malloc and free'],
    ['gen', 'a generator walking the free list, try/catch around every call'],
  ] as const) {
    it(`an honest allocator with ${what} passes`, async () => {
      const c = await verdict(honest(style));
      expect(c.status, JSON.stringify(c.violations)).toBe('pass');
    }, 300_000);
  }
});
