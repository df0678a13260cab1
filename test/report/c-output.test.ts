/** What a C submission said reaches the student: compiler warnings file:line:col first as clang prints them (they used to be dropped), printf output from the shrunk repro. */
import { describe, expect, it } from 'vitest';
import { formatTestReport } from '../../harness/report/test-text.ts';
import { quoteOutput } from '../../harness/report/violation-text.ts';
import { runTests } from '../../harness/runner/run-tests.ts';

const WARNS = new URL('../fixtures/student/warns.c', import.meta.url).pathname;

describe('compiler warnings', () => {
  it('are in the report as data and in the text, with file:line:col and the caret lines', async () => {
    const report = await runTests(WARNS, { checks: ['free-null'] });
    expect(report.status).toBe('pass');
    expect(report.notes).toHaveLength(1);
    expect(report.notes![0]).toMatch(/^warns\.c:25:7: warning: unused variable 'unused_counter' \[-Wunused-variable\]\n.*int unused_counter;/);
    const text = formatTestReport(report);
    expect(text).toContain('The compiler warned (1 warning):');
    expect(text).toContain("  warns.c:25:7: warning: unused variable 'unused_counter'");
  });

  it('a clean compile has no warnings section', async () => {
    const report = await runTests('ref:reference-c', { checks: ['free-null'] });
    expect(report.notes).toBeUndefined();
    expect(formatTestReport(report)).not.toContain('The compiler warned');
  });
});

describe('what a C allocator printed', () => {
  it('is the shrunk repro\'s output, whose addresses match the report, not the whole check\'s', async () => {
    const report = await runTests(new URL('../fixtures/student/prints-misaligned.c', import.meta.url).pathname, { checks: ['alignment'] });
    const c = report.checks[0]!;
    const v = c.violations[0]!;
    expect(v.kind).toBe('misaligned');
    expect(v.repro).toHaveLength(1);
    expect(c.outputOfRepro).toBe(true);
    expect(c.output!.trim().split('\n')).toEqual([`malloc(1) -> 0x${v.ptr!.toString(16)}`]);
    const text = formatTestReport(report);
    expect(text).toContain(`Your allocator printed, replaying the calls above:\n    | malloc(1) -> 0x${v.ptr!.toString(16)}`);
  });
});

describe('--verbose', () => {
  it('caps what it quotes and counts the rest', () => {
    expect(quoteOutput('one\ntwo\nthree\n', 2)).toBe('    | one\n    | two\n    | [1 more line]');
    expect(quoteOutput('one\ntwo\n')).toBe('    | one\n    | two');
  });

  it('shows what was printed under a passing check; without it, nothing', async () => {
    const report = await runTests(new URL('../fixtures/student/prints-misaligned.c', import.meta.url).pathname, { checks: ['zero-size'] });
    const c = report.checks.find((x) => x.name === 'zero-size')!;
    expect(c.status).toBe('pass');
    const printed = c.output!.trim().split('\n');
    expect(printed.length).toBeGreaterThan(0);
    const plain = formatTestReport(report);
    expect(plain).not.toContain('your allocator printed');
    const verbose = formatTestReport(report, { verbose: true });
    expect(verbose).toContain(`✓ zero-size: your allocator printed:\n    | ${printed[0]}`);
  });
});
