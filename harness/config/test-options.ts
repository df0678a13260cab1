/**
 * The part of the assignment configuration that `heapgrade test`, the vitest
 * adapter and `heapgrade grade` share, so a check gives the same verdict in
 * every front end: checker policy, heap limit, time limit, points, and the
 * property search's budget.
 */
import type { CheckerOptions } from '../checker/options.ts';
import type { TestOptions } from '../runner/run-tests.ts';
import { CHECKS } from '../../suites/correctness/index.ts';
import { WORKLOADS } from '../../suites/workloads/index.ts';
import type { Config } from './types.ts';

/** The names a configuration may refer to (for its "did you mean" messages). */
export const KNOWN_NAMES = { knownChecks: CHECKS.map((c) => c.name), knownWorkloads: WORKLOADS.map((w) => w.name) };

export function checkerFromConfig(config: Config): Partial<CheckerOptions> {
  return { alignment: config.alignment, malloc0: config.malloc0, realloc0: config.realloc0, stepBudget: config.stepBudget };
}

export function testOptionsFromConfig(config: Config): TestOptions {
  return {
    checker: checkerFromConfig(config),
    limit: config.heapLimit,
    callTimeoutMs: config.callTimeoutMs,
    staticDataLimit: config.staticDataLimit,
    points: config.checks,
    propertyMs: config.property.timeLimitMs,
    propertyRuns: config.property.numRuns,
  };
}
