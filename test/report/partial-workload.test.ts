/**
 * A workload stopped by a bug measured only the calls before it: its
 * utilization can be above a correct run's, so the grade table shows it in
 * brackets, marked not comparable, with no speed, and the workload scores 0.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../harness/config/index.ts';
import { gradeSubmission } from '../../harness/grade/grade.ts';
import { formatGradeReport } from '../../harness/report/grade-text.ts';

const TEMPLATE = readFileSync(fileURLToPath(new URL('../../student-template/ts/allocator.ts', import.meta.url)), 'utf8');

describe('a workload stopped by a bug', () => {
  it('shows its partial utilization as not comparable, and no speed', async () => {
    // The template, except that its 300th malloc throws.
    const from = '  function malloc(size: number): Ptr {\n';
    expect(TEMPLATE).toContain(from);
    const text = TEMPLATE.replace('  const HEADER = 16;\n', '  const HEADER = 16;\n  let calls = 0;\n').replace(from, `${from}    if (++calls === 300) throw new Error('planted');\n`);
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'hg-partial-')), 'allocator.ts');
    writeFileSync(file, text);
    const r = await gradeSubmission(file, { config: resolveConfig({}), checks: [], workloads: ['random-churn'] });
    const w = r.workloads[0]!;
    expect(w.status).toBe('fail');
    expect(w.utilization).toBeGreaterThan(0);
    expect(w.utilScore).toBe(0);
    const table = formatGradeReport(r).split('\n');
    const row = table.find((l) => l.trimStart().startsWith('random-churn'))!;
    expect(row).toContain(`(${(w.utilization * 100).toFixed(1)}%)*`);
    expect(table.some((l) => l.includes('stopped by a bug: measured up to that call only, not comparable with a full run'))).toBe(true);
  }, 300_000);
});
