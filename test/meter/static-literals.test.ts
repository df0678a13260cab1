/**
 * String literals count as static data beyond a small allowance (issue 19):
 * a 64 KiB literal used as a writable side table fails off-heap-metadata
 * like the same table as a static array; an allocator whose only literals
 * are printf formats does not.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCSubmission } from '../../harness/wasm/load.ts';
import { READ_ONLY_STRING_ALLOWANCE } from '../../harness/wasm/compile.ts';
import { runTests } from '../../harness/runner/run-tests.ts';

const c = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

describe('string literals and the static-data rule', () => {
  it('a literal side table fails off-heap-metadata like its static-array control', async () => {
    for (const f of ['meter/literal-table.c', 'meter/static-table.c']) {
      const r = await runTests(c(f), { checks: ['off-heap-metadata'], jobs: 1 });
      const off = r.checks[0]!;
      expect({ f, status: off.status }).toEqual({ f, status: 'fail' });
      expect(off.violations[0]!.message).toMatch(/bytes of global \(static\) data, more than the 128 allowed/);
    }
    const lit = await loadCSubmission(c('meter/literal-table.c'));
    expect(lit.staticData!.symbols.some((s) => /string literals/.test(s.name) && s.bytes >= 65536 - READ_ONLY_STRING_ALLOWANCE)).toBe(true);
  }, 600_000);

  it('printf format strings stay within the allowance', async () => {
    const ok = await loadCSubmission(c('c/printf-malloclab.c'));
    expect(ok.staticData!.symbols.some((s) => /string literals/.test(s.name))).toBe(false);
  }, 600_000);
});
