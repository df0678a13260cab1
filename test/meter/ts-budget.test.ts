/**
 * TypeScript step budgets: an endless loop is a `timeout` at its call, at the
 * same budget on an idle and on a saturated machine; try/catch in the
 * submission cannot swallow the budget; the meter's name cannot be shadowed
 * or replaced.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runTests } from '../../harness/runner/run-tests.ts';
import { withCpuHog } from './hog.ts';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/meter/${name}`, import.meta.url));
const BUDGET = { c: 2_000_000, ts: 2_000_000 };
// A generous backstop: the budget, not the clock, must stop these loops.
const options = { checks: ['zero-size', 'alignment'], checker: { stepBudget: BUDGET }, callTimeoutMs: 120_000, jobs: 1 };

describe('TypeScript step budget', () => {
  it('a loop inside try/catch that catches the budget exception is still a timeout at its call, the same under a CPU hog', async () => {
    const idle = await runTests(fixture('catch-loop.ts'), options);
    const busy = await withCpuHog(3, () => runTests(fixture('catch-loop.ts'), options));
    for (const r of [idle, busy]) {
      const zero = r.checks.find((c) => c.name === 'zero-size')!;
      expect(zero.status).toBe('fail');
      expect(zero.violations[0]).toMatchObject({ kind: 'timeout', op: 0 });
      expect(zero.violations[0]!.message).toMatch(/budget of 2,000,000 steps/);
      expect(r.checks.find((c) => c.name === 'alignment')!.status).toBe('pass');
    }
    const v = (r: typeof idle) => r.checks.find((c) => c.name === 'zero-size')!.violations[0]!;
    expect({ op: v(busy).op, message: v(busy).message }).toEqual({ op: v(idle).op, message: v(idle).message });
  }, 240_000);

  it('a submission that binds the meter\'s name does not load', async () => {
    const r = await runTests(fixture('shadow-meter.ts'), options);
    expect(r.status).toBe('fail');
    expect(r.error).toMatch(/__heapgrade_meter__.*reserves for its step meter/);
  }, 120_000);

  it('an endless loop at the top level of the module is a load failure by the load budget, not a wall-clock wait', async () => {
    const r = await runTests(fileURLToPath(new URL('../fixtures/batch/subs/hang-at-load.ts', import.meta.url)), options);
    expect(r.status).toBe('fail');
    expect(r.error).toMatch(/loading the module did not finish: its top-level code ran out of its budget of 20,000,000 steps/);
  }, 120_000);

  it('a submission cannot replace the meter global at run time: its loop is still a timeout', async () => {
    const r = await runTests(fixture('overwrite-meter.ts'), options);
    const zero = r.checks.find((c) => c.name === 'zero-size')!;
    expect(zero.violations[0]).toMatchObject({ kind: 'timeout', op: 0 });
    expect(zero.output ?? '').toMatch(/replaced: refused/);
  }, 120_000);
});
