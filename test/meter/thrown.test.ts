/**
 * Student values never run in the kit's context (issue 19): what an
 * allocator throws is copied inside the metered call, so an Error whose
 * `message`/`stack` are getters is the student's `threw` failure exactly
 * like its honest control; a getter that never returns is a timeout at the
 * call; the kit's error classes, reached from a caught BudgetExceededError,
 * are frozen and lead to no prepareStackTrace the kit would run.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSubmission } from '../../harness/loader/load.ts';
import { BudgetExceededError } from '../../harness/meter/budget.ts';
import { runTests } from '../../harness/runner/run-tests.ts';
import { ensureLockdown } from '../../harness/confine/lockdown.ts';
import { SegfaultError } from '../../harness/heap/segfault.ts';
import { StudentThrow } from '../../harness/meter/thrown.ts';
import { HeapgradeError, LoadError } from '../../harness/util/errors.ts';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/thrown/${name}`, import.meta.url));
const options = { checks: ['zero-size', 'alignment'], checker: { stepBudget: { c: 2_000_000, ts: 2_000_000 } }, callTimeoutMs: 120_000, jobs: 1 };

describe('what a submission throws', () => {
  it('an Error with getter message and stack is the student\'s `threw`, scored like the plain throw', async () => {
    const hostile = await runTests(fixture('getter-message.ts'), options);
    const control = await runTests(fixture('plain-throw.ts'), options);
    const zero = (r: typeof hostile) => r.checks.find((c) => c.name === 'zero-size')!;
    for (const r of [hostile, control]) {
      expect(zero(r).status).toBe('fail');
      expect(zero(r).violations[0]).toMatchObject({ kind: 'threw', op: 0 });
      expect(zero(r).violations[0]!.message).toMatch(/threw Error: no zero-size blocks here/);
    }
    expect(hostile.checks.map((c) => [c.name, c.status, c.points])).toEqual(control.checks.map((c) => [c.name, c.status, c.points]));
  }, 240_000);

  it('a message getter that never returns is a timeout at the call, not a kit error', async () => {
    const r = await runTests(fixture('getter-loops.ts'), options);
    const zero = r.checks.find((c) => c.name === 'zero-size')!;
    expect(zero.status).toBe('fail');
    expect(zero.violations[0]).toMatchObject({ kind: 'timeout', op: 0 });
    expect(r.checks.every((c) => c.status !== 'error')).toBe(true);
  }, 120_000);

  it('the kit\'s error classes reached from a caught budget error are frozen and lead to no prepareStackTrace', async () => {
    ensureLockdown();
    const before = (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
    const sub = await loadSubmission(fixture('steal-error-class.ts'));
    const inst = sub.instantiate({ seed: 1, limit: 1 << 20 });
    inst.heap.meter!.setBudget({ c: 1_000_000, ts: 100_000 });
    expect(() => inst.allocator.malloc(0)).toThrow(BudgetExceededError);
    expect(inst.takeOutput!()).toMatch(/prepareStackTrace: ignored;class: blocked;re-parent: blocked;/);
    expect((Error as { prepareStackTrace?: unknown }).prepareStackTrace).toBe(before);
    for (const c of [BudgetExceededError, SegfaultError, StudentThrow, LoadError]) {
      expect({ c: c.name, frozen: Object.isFrozen(c) && Object.isFrozen(c.prototype) }).toEqual({ c: c.name, frozen: true });
      // The first parent that is not a kit class: where a submission climbing from `c` ends up.
      const kit: unknown[] = [BudgetExceededError, SegfaultError, StudentThrow, LoadError, HeapgradeError];
      let parent = Object.getPrototypeOf(c) as { prepareStackTrace?: unknown };
      while (kit.includes(parent)) parent = Object.getPrototypeOf(parent) as { prepareStackTrace?: unknown };
      const steal = (): string => 'stolen';
      parent.prepareStackTrace = steal;
      expect({ c: c.name, powerless: parent.prepareStackTrace !== steal }).toEqual({ c: c.name, powerless: true });
    }
  }, 60_000);
});
