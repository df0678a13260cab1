/**
 * The vitest adapter students run with `npm test`: one vitest test per
 * correctness check, with the check's points as test meta; a failing test's
 * message is the same explanation `heapgrade test` prints (violation, the
 * minimal repro, the heap map and the replay command).
 */
import { fileURLToPath } from 'node:url';
import { test, type TestContext } from 'vitest';
import { formatCheckFailure } from '../report/violation-text.ts';
import { studentError } from './student-error.ts';
import { chargeOwnTime } from './own-time.ts';
import type { TestReport } from '../report/types.ts';
import { runTests, type TestOptions } from '../runner/run-tests.ts';
import { CHECKS } from '../../suites/correctness/index.ts';
import { testOptionsFromConfig } from '../config/test-options.ts';
import { buildPlan } from '../plan/build.ts';

export interface AllocatorSuiteOptions extends Omit<TestOptions, 'onResult'> {
  /** The assignment's configuration. @default ./heapgrade.config.json or .ts when present */
  configPath?: string;
}

declare module 'vitest' {
  interface TaskMeta {
    points?: number;
    maxPoints?: number;
    /** The check's own time in its worker, which is also the test's duration (own-time.ts). */
    durationMs?: number;
  }
}

/** Registers one test per check for the allocator at `submission` (a path, file URL or ref:NAME). */
export function allocatorSuite(submission: string | URL, options: AllocatorSuiteOptions = {}): void {
  const spec = submission instanceof URL ? fileURLToPath(submission) : submission;
  let report: Promise<TestReport> | undefined;
  // One run serves every test: the checks run in parallel worker threads.
  const results = (): Promise<TestReport> =>
    (report ??= buildPlan({ mode: 'test', submission: spec, ...(options.configPath !== undefined && { configFile: options.configPath }), ...(options.checks && { checks: options.checks }) }).then((plan) =>
      // The plan by the one builder (`profile: auto` decided from the submission's own sources), as `heapgrade test` makes it.
      runTests(spec, testOptionsFromConfig(plan.config, { reproDir: '.heapgrade/repro', ...options })),
    ));
  const names = options.checks ?? CHECKS.map((c) => c.name);
  for (const name of names) {
    const check = CHECKS.find((c) => c.name === name);
    test(`${name}: ${check?.description ?? ''}`, { timeout: 300_000 }, async (ctx: TestContext) => {
      const r = await results();
      if (r.error) throw studentError(`Your allocator did not load:\n${r.error}`, 'loading', [r.error]);
      const c = r.checks.find((x) => x.name === name);
      if (!c) throw new Error(`check ${name} did not run`);
      chargeOwnTime(ctx, c.durationMs);
      ctx.task.meta.points = c.points;
      ctx.task.meta.maxPoints = c.maxPoints;
      if (c.status !== 'pass') throw studentError(`\n${formatCheckFailure(c, { color: false })}`, name, c.violations.map((v) => v.message));
    });
  }
}
