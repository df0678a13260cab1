/**
 * The per-call limit is the step budget. When the wall-clock backstop stops
 * a call the budget allows, the check is retried once in a fresh worker; a
 * second stop is the kit's error (status `error`) with its evidence (which
 * call, how long each run had taken, the budget that had not run out), never
 * the student's `fail`. The same call under a small step budget is the
 * student's timeout: the budget, not the clock, decides.
 *
 * The fixture's slow call is metered work under a large budget against a
 * tiny backstop (0.1 s): it stands in for time the meter cannot see or a
 * machine too busy to run the call, which no honest fixture can produce on
 * demand. Nothing here asserts on time: the call runs until its budget of a
 * billion metered steps is spent, which takes seconds on any machine, so the
 * 0.1 s backstop always comes first (an earlier version looped 10 M times and
 * finished inside the backstop on a quiet machine).
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runTests } from '../../harness/runner/run-tests.ts';

const SLOW = fileURLToPath(new URL('../fixtures/meter/slow-zero.ts', import.meta.url));

describe('the wall-clock backstop', () => {
  it('stopping a call within its step budget twice is a kit error with the evidence, not the student\'s fail', async () => {
    const r = await runTests(SLOW, { checks: ['zero-size', 'alignment'], checker: { stepBudget: { c: 1_000_000_000, ts: 1_000_000_000 } }, callTimeoutMs: 100, jobs: 1 });
    const zero = r.checks.find((c) => c.name === 'zero-size')!;
    expect(zero.status).toBe('error');
    expect(zero.violations).toEqual([]);
    expect(zero.error).toMatch(/^the wall-clock backstop \(100 ms per call\) stopped a call 2 times \(run 1: operation #\d+ stopped after \d+ ms; run 2: operation #\d+ stopped after \d+ ms\) before its step budget ran out \(1000000000 TypeScript steps/);
    expect(zero.error).toMatch(/heapgrade problem, not a verdict on your allocator/);
    expect(r.checks.find((c) => c.name === 'alignment')!.status).toBe('pass');
    expect(r.status).not.toBe('fail');
  }, 240_000);

  it('the same call under a small step budget is the student\'s timeout, decided by the budget', async () => {
    const r = await runTests(SLOW, { checks: ['zero-size'], checker: { stepBudget: { c: 1_000_000, ts: 1_000_000 } }, callTimeoutMs: 600_000, jobs: 1 });
    const zero = r.checks.find((c) => c.name === 'zero-size')!;
    expect(zero.status).toBe('fail');
    expect(zero.violations[0]).toMatchObject({ kind: 'timeout', op: 0 });
    expect(zero.violations[0]!.message).toMatch(/budget of 1,000,000 steps/);
  }, 240_000);
});
