/**
 * The same grade, to the hundredth of a point, on an idle machine and on one
 * saturated by real busy processes: metered speed, step budgets and the
 * metered off-heap check leave nothing to the clock. (A subset of checks and
 * workloads keeps the file's run time bearable on a shared 2-core machine;
 * off-heap-metadata, the check that used to flake under load, is in it.)
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../harness/config/index.ts';
import { gradeSubmission } from '../../harness/grade/grade.ts';
import type { GradeReport } from '../../harness/report/types.ts';
import { withCpuHog } from './hog.ts';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const SUBMISSIONS = ['ref:reference', 'ref:first-fit', 'ref:best-fit', here('../../student-template/ts/allocator.ts'), here('../fixtures/c/libc-alloc.c')];
const options = {
  config: resolveConfig({}),
  checks: ['alignment', 'churn', 'off-heap-metadata'],
  workloads: ['coalescing', 'random-churn'],
};

/** What must not move: every number of the grade. */
const grade = (r: GradeReport) => ({
  status: r.status,
  score: r.score,
  breakdown: r.breakdown,
  checks: r.checks.map((c) => [c.name, c.status, c.points]),
  workloads: r.workloads.map((w) => [w.name, w.status, w.utilization, w.throughput, w.costPerOp]),
});

describe('the same grade under any load', () => {
  it.each(SUBMISSIONS)('%s', async (spec) => {
    const idle = await gradeSubmission(spec, options);
    const busy = await withCpuHog(3, () => gradeSubmission(spec, options));
    expect(idle.error).toBeUndefined();
    expect(idle.workloads.every((w) => w.costRatio !== undefined && w.throughput === w.costRatio)).toBe(true);
    expect(grade(busy)).toStrictEqual(grade(idle));
  }, 600_000);
});
