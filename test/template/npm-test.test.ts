/**
 * The student's `npm test`, as a student runs it: the template copied into a
 * fresh folder with heapgrade and vitest installed (linked), vitest run there
 * for real. It passes as shipped and explains a failure once a bug goes in.
 */
import { execa } from 'execa';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureFreshDist } from '../helpers/fresh-dist.ts';

const KIT = new URL('../../', import.meta.url).pathname;

function studentRepo(template: 'ts' | 'c'): string {
  const dir = mkdtempSync(join(tmpdir(), `hg-student-${template}-`));
  cpSync(join(KIT, 'student-template', template), dir, { recursive: true });
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(KIT, join(dir, 'node_modules', 'heapgrade'));
  symlinkSync(join(KIT, 'node_modules', 'vitest'), join(dir, 'node_modules', 'vitest'));
  return dir;
}

const vitest = (cwd: string) =>
  execa(join(KIT, 'node_modules', '.bin', 'vitest'), ['run', '--reporter=json'], { cwd, reject: false, env: { CI: 'true', NO_COLOR: '1' } });

describe('student template: npm test', () => {
  // The linked kit resolves through its exports, into dist/.
  beforeAll(ensureFreshDist, 300_000);

  it('passes every check on the TypeScript template as shipped, one test per check', async () => {
    const r = await vitest(studentRepo('ts'));
    const json = JSON.parse(r.stdout);
    expect(r.exitCode).toBe(0);
    expect(json.numFailedTests).toBe(0);
    expect(json.numPassedTests).toBeGreaterThanOrEqual(13);
    // Each test carries its own check's time (the check's durationMs, put in its meta), not the
    // first test the whole run's: one run serves all the tests, which would otherwise wait it out.
    const tests = json.testResults.flatMap((f: { assertionResults: unknown[] }) => f.assertionResults) as { title: string; duration: number; meta: { durationMs?: number } }[];
    for (const t of tests) expect(t.duration, t.title).toBe(t.meta.durationMs);
    const [first, ...rest] = tests.map((t) => t.duration);
    expect(first!, 'the first test is not charged the run').toBeLessThan(rest.reduce((a, b) => a + b, 0));
  });

  it('fails the realloc test with the violation, the repro and the replay command when realloc loses data', async () => {
    const dir = studentRepo('ts');
    const file = join(dir, 'allocator.ts');
    const src = readFileSync(file, 'utf8');
    const broken = src.replace(/heap\.copy\(moved, ptr, ([^;]+)\);/, 'heap.copy(moved, ptr, ($1) >> 1);');
    expect(broken).not.toBe(src);
    writeFileSync(file, broken);
    const r = await vitest(dir);
    expect(r.exitCode).toBe(1);
    const tests = JSON.parse(r.stdout).testResults.flatMap((f: { assertionResults: unknown[] }) => f.assertionResults) as { title: string; status: string; failureMessages: string[] }[];
    const realloc = tests.find((t) => t.title.startsWith('realloc:'))!;
    expect(realloc.status).toBe('failed');
    const msg = realloc.failureMessages.join('\n');
    expect(msg).toContain('realloc-data-lost');
    expect(msg).toContain('The shortest sequence of calls');
    expect(msg).toContain('Replay it: npx heapgrade trace');
  });

  it('points the code frame of a TypeScript segfault at the student\'s line, never into the kit\'s adapter', async () => {
    const dir = studentRepo('ts');
    const file = join(dir, 'allocator.ts');
    const src = readFileSync(file, 'utf8');
    // free reads the word past the block's header: a segfault for the last block in the heap.
    const broken = src.replace('    void ptr;\n', '    if (ptr !== 0) heap.load32(ptr + heap.load32(ptr - 4) + 4096);\n');
    expect(broken).not.toBe(src);
    writeFileSync(file, broken);
    const line = broken.split('\n').findIndex((l) => l.includes('heap.load32(ptr + heap.load32(ptr - 4) + 4096)')) + 1;
    const r = await vitest(dir);
    expect(r.exitCode).toBe(1);
    const tests = JSON.parse(r.stdout).testResults.flatMap((f: { assertionResults: unknown[] }) => f.assertionResults) as { title: string; status: string; failureMessages: string[] }[];
    const failed = tests.filter((t) => t.status === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    for (const t of failed) {
      const msg = t.failureMessages.join('\n');
      expect(msg).not.toContain('harness/vitest');
      expect(msg).toMatch(new RegExp(`at [\\w-]+ \\(.*allocator\\.ts:${line}:\\d+\\)`));
    }
  });

  it('passes on the C template (compiled to WebAssembly, no toolchain)', async () => {
    const r = await vitest(studentRepo('c'));
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout).numPassedTests).toBeGreaterThanOrEqual(13);
  });
});
