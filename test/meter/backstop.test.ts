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

  it('a whole check the backstop stops twice while every call is within its budget is a kit error, not a timeout fail', async () => {
    // The check's own limit is the sum of its calls' budgets; the 0.3 s whole-check clock is only a backstop.
    const r = await runTests(SLOW, { checks: ['zero-size'], checker: { stepBudget: { c: 1_000_000_000, ts: 1_000_000_000 } }, callTimeoutMs: 600_000, checkTimeoutMs: 300, jobs: 1 });
    const zero = r.checks[0]!;
    expect(zero.status).toBe('error');
    expect(zero.violations).toEqual([]);
    expect(zero.error).toMatch(/^the wall-clock backstop of the whole check \(0.3 s\) stopped it 2 times \(run 1: stopped at operation #\d+ after \d+ ms; run 2: stopped at operation #\d+ after \d+ ms\) while every call stayed within its step budget/);
    expect(r.status).toBe('error');
  }, 240_000);

  it('loading the backstop stops twice is a kit error for the run, not a load failure', async () => {
    // Loading is limited by step budgets (and a C compile by its CPU time); a 1 ms load clock stands in for a busy machine.
    const r = await runTests('ref:reference', { checks: ['zero-size'], loadTimeoutMs: 1, jobs: 1 });
    expect(r.status).toBe('error');
    expect(r.checks).toEqual([]);
    expect(r.error).toMatch(/the wall-clock backstop \(0.001 s to load\) stopped loading the submission 2 times \(run 1 after \d+ ms; run 2 after \d+ ms\).*not a verdict on your allocator/);
  }, 240_000);
});
