/**
 * A check's trace and heap seed, computed from its name and the run's seed.
 * Its own module because the thread that dispatches checks (run-tests.ts)
 * needs these two and nothing else of the check runner: importing that would
 * load the property search (fast-check), the loader (esbuild, SES) and the
 * meter in a thread that never runs a check.
 */
import type { CheckerOptions } from '../checker/options.ts';
import type { Op } from '../trace/types.ts';
import { hash32 } from '../util/rng.ts';
import type { CorrectnessCheck } from '../checker/check.ts';

/** Seeds differ per check so that heaps start at different bases. */
export function checkSeed(seed: number, check: CorrectnessCheck): number {
  let h = seed >>> 0;
  for (const ch of check.name) h = hash32(h ^ ch.charCodeAt(0));
  return h;
}

export function buildCheckOps(check: CorrectnessCheck, options: { seed: number; limit: number; checker: Pick<CheckerOptions, 'alignment'> }): Op[] {
  return check.build?.({ seed: checkSeed(options.seed, check), limit: check.limit ?? options.limit, alignment: options.checker.alignment }) ?? [];
}
