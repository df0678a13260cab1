/**
 * The ONE place a configuration becomes run options: `heapgrade test`, the
 * vitest adapter, `heapgrade grade` and the isolated child of `batch` /
 * `gradescope` all call `testOptionsFromConfig`, so a check gives the same
 * verdict in every front end: checker policy, heap limit, time limit,
 * static-data limit, points, and the property search's budget.
 */
import type { CheckerOptions } from '../checker/options.ts';
import type { TestOptions } from '../runner/run-tests.ts';
import { CHECKS } from '../../suites/correctness/index.ts';
import { WORKLOADS } from '../../suites/workloads/index.ts';
import { resolveProfile } from '../profiles/resolve.ts';
import type { Config } from './types.ts';

/** The names a configuration may refer to (for its "did you mean" messages). */
export const KNOWN_NAMES = { knownChecks: CHECKS.map((c) => c.name), knownWorkloads: WORKLOADS.map((w) => w.name) };

export function checkerFromConfig(config: Config): Partial<CheckerOptions> {
  const profile = profileOf(config);
  return {
    alignment: config.alignment,
    malloc0: config.malloc0,
    realloc0: config.realloc0,
    stepBudget: config.stepBudget,
    sizeTBits: profile?.model === 'lp64' ? 64 : 32,
    // A handout that does not require free(NULL) never gets it, not even for a NULL the allocator returned.
    freeNullOfFailed: profile?.beyond['free-null'] === undefined,
    reallocNullZero: profile?.beyond['realloc-null-zero'] === undefined,
    // A handout that sets no alignment (CS 341): no workload, trace or check stops at a misaligned pointer; the
    // check runner gives the `alignment` check alone its own tolerance, so it reports it beyond the handout.
    tolerate: profile?.beyond['alignment'] !== undefined ? ['misaligned'] : [],
  };
}

/** The configuration's profile; undefined while it is still `auto` (the command resolves it per submission). */
function profileOf(config: Config): ReturnType<typeof resolveProfile>['profile'] | undefined {
  return config.profile === 'auto' ? undefined : resolveProfile(config.profile, []).profile;
}

/**
 * The run options for `config`, with `overrides` (command-line flags, the
 * adapter's options, a job's options) winning key by key; an override that
 * is undefined leaves the configuration's value, and `checker` merges field
 * by field.
 */
export function testOptionsFromConfig(config: Config, overrides: TestOptions = {}): TestOptions {
  const fromConfig: TestOptions = {
    checker: checkerFromConfig(config),
    limit: config.heapLimit,
    callTimeoutMs: config.callTimeoutMs,
    staticDataLimit: config.staticDataLimit,
    points: config.checks,
    propertyMs: config.property.timeLimitMs,
    propertyRuns: config.property.numRuns,
    propertySteps: config.property.stepBudget,
    // C: compiled for the profile's handout; its checks beyond the handout score 0 and never fail.
    ...(config.profile === 'auto' ? {} : { profile: config.profile, beyond: profileOf(config)?.beyond }),
  };
  const given = definedOnly(overrides);
  return { ...fromConfig, ...given, checker: { ...fromConfig.checker, ...definedOnly(overrides.checker ?? {}) } };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
