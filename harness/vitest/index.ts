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
import { buildPlan, type PlanRequest } from '../plan/build.ts';
import { testOptionsFromPlan } from '../plan/test-options.ts';
import type { GradingPlan } from '../plan/types.ts';

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
    (report ??= buildPlan(planRequest(spec, options)).then((plan) => runTests(spec, suiteOptions(plan, options))));
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

/**
 * The plan by the one builder, as `heapgrade test` makes it: the options that
 * choose what is graded and how (profile, checks, seed, --check-heap, the
 * compiler, the heap limit and call backstop) are the plan's choices, so
 * `profile: auto` is decided once, from the submission's own sources.
 */
function planRequest(spec: string, o: AllocatorSuiteOptions): PlanRequest {
  const overrides = { ...(o.limit !== undefined && { heapLimit: o.limit }), ...(o.callTimeoutMs !== undefined && { callTimeoutMs: o.callTimeoutMs }) };
  return {
    mode: 'test',
    submission: spec,
    ...(o.configPath !== undefined && { configFile: o.configPath }),
    ...(o.profile !== undefined && { profile: o.profile }),
    ...(o.checks && { checks: o.checks }),
    ...(o.seed !== undefined && { seed: o.seed }),
    ...(o.checker?.checkHeap !== undefined && { checkHeap: o.checker.checkHeap }),
    ...(o.compiler !== undefined && { compiler: o.compiler as PlanRequest['compiler'] }),
    ...(Object.keys(overrides).length > 0 && { overrides }),
  };
}

/** The plan's check options (testOptionsFromPlan, as the CLI and the isolated child use), then what the suite's caller set beyond the plan's choices. */
function suiteOptions(plan: GradingPlan, o: AllocatorSuiteOptions): TestOptions {
  const fromPlan = testOptionsFromPlan(plan, { reproDir: o.reproDir ?? '.heapgrade/repro', ...(o.jobs !== undefined && { jobs: o.jobs }), ...(o.shrinkMs !== undefined && { shrinkMs: o.shrinkMs }), ...(o.onProgress && { onProgress: o.onProgress }) });
  const { configPath: _c, profile: _p, checks: _k, seed: _s, compiler: _x, limit: _l, callTimeoutMs: _t, checker, ...rest } = o;
  const beyondPlan = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
  return { ...fromPlan, ...beyondPlan, checker: { ...fromPlan.checker, ...checker } };
}
