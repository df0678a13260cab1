/**
 * Red team (issue 19 item 2): builtins that walk their input but were in no
 * cost table ran free. Each mode of uncharged-builtins.ts does N elements of
 * work through one of them (ArrayBuffer slice and resize, isWellFormed and
 * toWellFormed, toLocale*Case, Reflect.ownKeys/isFrozen/seal,
 * defineProperties, flat and join of shared arrays and strings, Date
 * parsing, Uint32Array.from, Object.fromEntries of a Map, Promise.all);
 * uncharged-loops.ts does the same work in plain loops. Before the
 * fix every hostile mode but one cost 2-259 steps against 65,794-196,610.
 * And JSON.stringify's cost of a DAG (x = [x, x], 40 levels) is computed
 * without walking 2^40 nodes: the call runs out of its budget (the
 * student's timeout) at once instead of hanging in the kit until the
 * wall-clock backstop calls it a heapgrade error.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BUILTIN_COST_FACTOR, modeCosts } from '../helpers/mode-costs.ts';
import { loadSubmission } from '../../harness/loader/load.ts';
import { BudgetExceededError } from '../../harness/meter/budget.ts';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/attack/${name}`, import.meta.url));
/** README "Metering": builtin work costs at least the same loop's steps / FACTOR (as test/meter/builtin-costs.test.ts). */
const FACTOR = BUILTIN_COST_FACTOR;
const MODES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

const costs = (name: string, modes: readonly number[] = MODES): Promise<Record<number, number>> => modeCosts(fixture(name), modes);

describe('builtins once missing from the cost tables', () => {
  it('cost no less than the plain loops doing the same work / FACTOR', async () => {
    const hostile = await costs('uncharged-builtins.ts');
    const control = await costs('uncharged-loops.ts');
    console.log({ hostile, control });
    for (const mode of MODES) {
      expect({ mode, charged: hostile[mode]! >= control[mode]! / FACTOR }).toEqual({ mode, charged: true });
      // Each control does real work: the comparison means something.
      expect(control[mode]).toBeGreaterThan(60_000);
    }
  }, 120_000);

  // Mode 13: `for (k in o)` on a dictionary-mode object lists all N keys natively when the loop starts; a loop that
  // leaves at once ticked twice. The transform now charges the object's keys at a for-in's start, as a spread of it.
  it('a for-in left at once costs no less than the loop over its keys / FACTOR', async () => {
    const hostile = await costs('uncharged-builtins.ts', [13]);
    const control = await costs('uncharged-loops.ts', [13]);
    expect(hostile[13]!).toBeGreaterThanOrEqual(control[13]! / FACTOR);
  }, 120_000);

  it("JSON.stringify of a 40-level DAG is the call's timeout, charged before the walk, not a hang in the kit", async () => {
    const sub = await loadSubmission(fixture('json-dag.ts'));
    const inst = sub.instantiate({ seed: 1, limit: 1 << 20 });
    // 2^40 nodes: a walk that visits each would not end within the test's time.
    expect(() => inst.allocator.malloc(40)).toThrow(BudgetExceededError);
    // A small one is charged and runs.
    const small = sub.instantiate({ seed: 1, limit: 1 << 20 });
    expect(small.allocator.malloc(10)).toBe(32);
    expect(small.heap.meter!.lastCall).toBeGreaterThan(1 << 10);
  }, 60_000);
});
