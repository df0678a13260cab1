/**
 * The property search as one call for `heapgrade test`: load, search, save
 * the repro, and answer with a check result. It runs in the calling thread:
 * run it inside a worker with a watchdog when the submission may hang.
 */
import type { CheckerOptions } from '../checker/options.ts';
import { loadSubmission } from '../loader/load.ts';
import type { CheckResult } from '../report/types.ts';
import { propertyCheckResult, saveRepro } from './save.ts';
import { searchForFailure } from './search.ts';

export interface PropertyCheckOptions {
  seed: number;
  timeLimitMs: number;
  numRuns: number;
  /** Metered steps the search may spend (see SearchOptions). */
  stepBudget: number;
  checker: CheckerOptions;
  limit: number;
  /** Where the minimal failing trace is saved. */
  reproDir: string;
  /** Points the check is worth. @default 0 */
  points?: number;
}

export async function runPropertyCheck(spec: string, options: PropertyCheckOptions): Promise<CheckResult> {
  const started = Date.now();
  const loaded = await loadSubmission(spec);
  const result = searchForFailure(loaded, options);
  const saved = result.status === 'fail' ? saveRepro(result, spec, options.reproDir) : undefined;
  return propertyCheckResult(result, Date.now() - started, saved, options.points ?? 0);
}
