/** C compiler warnings reach the student, file:line:col first as clang prints them (they used to be collected and dropped). */
import { describe, expect, it } from 'vitest';
import { formatTestReport } from '../../harness/report/test-text.ts';
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
