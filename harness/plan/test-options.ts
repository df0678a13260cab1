/**
 * The run options of a plan's correctness checks: what `heapgrade test`, the
 * vitest adapter, `grade` and the isolated child hand the check runner. The
 * configuration's settings come through `testOptionsFromConfig` (one place),
 * the rest from the plan itself (seed, --check-heap, the checks owed, their
 * points and beyond-handout reasons, the compiler, confinement); the caller
 * adds only how the run is carried out and shown.
 */
import { testOptionsFromConfig } from '../config/test-options.ts';
import type { TestOptions } from '../runner/run-tests.ts';
import type { GradingPlan } from './types.ts';

/** What a caller adds to a plan's checks: threads, shrinking, repro files, progress. Nothing that changes a verdict. */
export type CheckRun = Pick<TestOptions, 'jobs' | 'shrinkMs' | 'reproDir' | 'onResult' | 'onProgress' | 'bundle' | 'keepWorkers' | 'onWorkersStarted'>;

export function testOptionsFromPlan(plan: GradingPlan, run: CheckRun = {}): TestOptions {
  const fromConfig = testOptionsFromConfig(plan.config);
  const beyond = Object.fromEntries(plan.checks.filter((c) => c.beyond !== undefined).map((c) => [c.name, c.beyond!]));
  return {
    ...fromConfig,
    checker: { ...fromConfig.checker, checkHeap: plan.checkHeap },
    seed: plan.seed,
    checks: plan.checks.map((c) => c.name),
    points: Object.fromEntries(plan.checks.map((c) => [c.name, c.maxPoints])),
    beyond,
    compiler: plan.compiler,
    profile: plan.profile,
    ...(plan.sandbox.confine ? {} : { confine: false }),
    ...Object.fromEntries(Object.entries(run).filter(([, v]) => v !== undefined)),
  };
}
