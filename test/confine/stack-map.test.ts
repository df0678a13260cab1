/**
 * Student code runs as a bundle in a compartment; its `threw` and
 * `segfault` violations still name the student's own file and line.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTests } from '../../harness/runner/run-tests.ts';

const base = new URL('../fixtures/zoo/base.ts', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'hg-stack-'));

function allocator(name: string, bad: string): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    [
      `import { createBuggy } from '${base}';`,
      'export default function createAllocator(heap: any) {',
      "  const a = createBuggy(heap, 'none');",
      '  let n = 0;',
      '  return { ...a, malloc(size: number) {',
      `    if (++n === 5) ${bad};`,
      '    return a.malloc(size);',
      '  } };',
      '}',
      '',
    ].join('\n'),
  );
  return file;
}

describe('locations in confined code', () => {
  it('names the student file and line of a throw and of a segfault', async () => {
    const threw = await runTests(allocator('thrower.ts', "throw new Error('boom')"), { checks: ['churn'], jobs: 1 });
    const v = threw.checks[0]!.violations[0]!;
    expect(v.kind).toBe('threw');
    expect(v.message).toContain(`${basename('thrower.ts')}:6:`);
    expect(v.message).not.toContain('heapgrade-confined:');

    const segv = await runTests(allocator('wild.ts', 'heap.store32(heap.brk + 64, 1)'), { checks: ['churn'], jobs: 1 });
    const s = segv.checks[0]!.violations[0]!;
    expect(s.kind).toBe('segfault');
    expect(s.message).toContain('wild.ts:6:');
  });
});
