/**
 * The same grade, to the hundredth of a point, on an idle machine and on one
 * saturated by real busy processes: metered speed, step budgets and the
 * metered off-heap check leave nothing to the clock. (A subset of checks and
 * workloads keeps the file's run time bearable on a shared 2-core machine;
 * off-heap-metadata, the check that used to flake under load, is in it.)
 *
 * Then beside busy processes pinned (taskset) to the very core the grading
 * runs on, so the grading threads get a fraction of it: a TypeScript call
 * near its step budget (metered work, slow by the clock on a shared core) and
 * a C file whose cold compile takes many CPU-seconds (its limit is the
 * compiler's CPU time, which busy neighbours do not move) are graded alike,
 * and the compile is never a load failure. Nothing asserts on time. Skipped
 * where taskset (util-linux) is missing.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../harness/config/index.ts';
import { gradeSubmission } from '../../harness/grade/grade.ts';
import { allowedCpus } from '../../harness/isolation/cpu-affinity.ts';
import type { GradeReport, TestReport } from '../../harness/report/types.ts';
import { runTests } from '../../harness/runner/run-tests.ts';
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
  error: r.error,
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

const hasTaskset = (() => {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** Runs `fn` with every thread of this process (and what it starts) on one core, beside `hogs` busy processes pinned to it. */
async function onBusyCore<T>(hogs: number, fn: () => Promise<T>): Promise<T> {
  const cpus = allowedCpus() ?? [0];
  const core = String(cpus[cpus.length - 1]);
  // taskset -a walks the process's threads; one that ends meanwhile fails the walk, so it is tried again.
  const pin = (list: string): void => {
    for (let attempt = 1; ; attempt++) {
      try {
        execFileSync('taskset', ['-a', '-p', '-c', list, String(process.pid)], { stdio: 'ignore' });
        return;
      } catch (e) {
        if (attempt >= 10) throw e;
      }
    }
  };
  const busy: ChildProcess[] = [];
  pin(core);
  try {
    // The pin holds: this process may run on that one core only, and so may every thread and child it starts.
    expect(allowedCpus()).toEqual([Number(core)]);
    for (let i = 0; i < hogs; i++) busy.push(spawn('taskset', ['-c', core, process.execPath, '-e', 'for (;;) {}'], { stdio: 'ignore' }));
    return await fn();
  } finally {
    for (const h of busy) h.kill('SIGKILL');
    pin(cpus.join(','));
  }
}

const tested = (r: TestReport) => ({ status: r.status, error: r.error, checks: r.checks.map((c) => [c.name, c.status, c.points]) });

describe.skipIf(!hasTaskset)('the same grade idle and on a core shared with busy processes', () => {
  it('a TypeScript call near its step budget', async () => {
    const options = {
      config: resolveConfig({ stepBudget: { c: 1_000_000_000, ts: 3_000_000 } }),
      checks: ['alignment', 'churn'],
      workloads: ['coalescing'],
      jobs: 1,
    };
    const spec = here('../fixtures/meter/near-budget.ts');
    const idle = await gradeSubmission(spec, options);
    const busy = await onBusyCore(3, () => gradeSubmission(spec, options));
    expect(idle.status).toBe('pass');
    expect(grade(busy)).toStrictEqual(grade(idle));
  }, 600_000);

  it('a C file whose cold compile takes many CPU-seconds is not a load failure', async () => {
    const spec = here('../fixtures/c/libc-alloc.c');
    // A fresh compile cache each time: both runs compile from scratch.
    const cold = async (): Promise<TestReport> => {
      const before = process.env['HEAPGRADE_CACHE_DIR'];
      process.env['HEAPGRADE_CACHE_DIR'] = mkdtempSync(join(tmpdir(), 'hg-busy-cache-'));
      try {
        return await runTests(spec, { checks: ['alignment'], jobs: 1 });
      } finally {
        if (before === undefined) delete process.env['HEAPGRADE_CACHE_DIR'];
        else process.env['HEAPGRADE_CACHE_DIR'] = before;
      }
    };
    const idle = await cold();
    const busy = await onBusyCore(2, cold);
    expect(idle.status).toBe('pass');
    expect(tested(busy)).toStrictEqual(tested(idle));
  }, 900_000);
});
