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
    sizeTBits: profile?.model === 'lp64' ? 64 : 32,
    // A handout that does not require free(NULL) never gets it, not even for a NULL the allocator returned.
    freeNullOfFailed: profile?.beyond['free-null'] === undefined,
  };
}

/** The configuration's profile; undefined while it is still `auto` (the command resolves it per submission). */
function profileOf(config: Config): ReturnType<typeof resolveProfile>['profile'] | undefined {
  return config.profile === 'auto' ? undefined : resolveProfile(config.profile, []).profile;
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
    // C: compiled for the profile's handout; its checks beyond the handout score 0 and never fail.
    ...(config.profile === 'auto' ? {} : { profile: config.profile, beyond: profileOf(config)?.beyond }),
  };
}
