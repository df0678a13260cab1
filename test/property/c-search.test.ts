/**
 * The C property search is bounded like the TypeScript one: by its runs and
 * by the instructions the allocator spends (property.stepBudget), never by
 * the clock. The same C file searched twice stops at the same run with the
 * same instruction count, and says its step budget stopped it.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveCheckerOptions } from '../../harness/checker/options.ts';
import { loadSubmission } from '../../harness/loader/load.ts';
import { propertyCheckResult } from '../../harness/property/save.ts';
import { searchForFailure } from '../../harness/property/search.ts';

const c = (name: string): string => fileURLToPath(new URL(`../fixtures/c/${name}`, import.meta.url));

describe('the C property search', () => {
  it('stops at the same run and instruction count every time, by its step budget, not the clock', async () => {
    const loaded = await loadSubmission(c('libc-alloc.c'));
    // A budget far below what 1000 runs take, and a clock backstop far above what it needs.
    const bounded = { seed: 5, timeLimitMs: 600_000, numRuns: 1000, stepBudget: 300_000, checker: resolveCheckerOptions(), limit: 1 << 24 };
    const a = searchForFailure(loaded, bounded);
    const b = searchForFailure(loaded, bounded);
    if (a.status !== 'pass' || b.status !== 'pass') throw new Error('libc-alloc.c has no bug for the search to find');
    expect(a.stoppedBy).toBe('steps');
    expect(a.steps).toBeGreaterThan(bounded.stepBudget);
    expect(a.runs).toBeGreaterThan(0);
    expect(a.runs).toBeLessThan(1000);
    expect(b.runs).toBe(a.runs);
    expect(b.steps).toBe(a.steps);
    expect(propertyCheckResult(a, 0).search).toEqual({ runs: a.runs, steps: a.steps, stoppedBy: 'steps' });
    // With the budget out of the way every run is made, and the report says so.
    const all = searchForFailure(loaded, { ...bounded, numRuns: 20, stepBudget: 1e12 });
    expect(all).toMatchObject({ status: 'pass', runs: 20, stoppedBy: 'runs' });
  }, 300_000);
});
