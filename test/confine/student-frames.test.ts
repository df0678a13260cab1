/**
 * A TypeScript fault names the student's frames, innermost first: the helper
 * where it happened and the allocator functions that called it, each at its
 * own file:line:col (source-mapped from the confined bundle).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatCheckFailure } from '../../harness/report/violation-text.ts';
import { runTests } from '../../harness/runner/run-tests.ts';

const FIXTURE = new URL('../fixtures/student/helper-crash.ts', import.meta.url).pathname;
const lineOf = (text: string): number => readFileSync(FIXTURE, 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;

describe('the student\'s frames of a TypeScript fault', () => {
  it('a segfault in a one-line helper lists the helper, then markFree, then free, each at its line', async () => {
    const r = await runTests(FIXTURE, { checks: ['churn'] });
    const v = r.checks[0]!.violations[0]!;
    expect(v.kind).toBe('segfault');
    const lines = v.message.split('\n');
    const file = 'test/fixtures/student/helper-crash.ts';
    expect(lines[0]).toMatch(new RegExp(`segmentation fault in put \\(${file}:${lineOf('const put =')}:\\d+\\)$`));
    expect(lines[1]).toMatch(new RegExp(`^  called from markFree \\(${file}:${lineOf('put(bp - 0x100000')}:\\d+\\)$`));
    expect(lines[2]).toMatch(new RegExp(`^  called from free \\(${file}:${lineOf('if (p) markFree(p)')}:\\d+\\)$`));
    expect(lines[3]).toMatch(/^store32 of 4 byte\(s\) at 0x[0-9a-f]+, outside the heap/);
    // The kit's own frames are not the student's: none is listed.
    expect(v.message).not.toMatch(/harness\/|node_modules/);
    expect(formatCheckFailure(r.checks[0]!)).toContain(`called from markFree (${file}:${lineOf('put(bp - 0x100000')}:`);
  });
});
