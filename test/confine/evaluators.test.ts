/**
 * No unmetered evaluator (issue 19): the grading compartment's global object
 * is exactly the allow-list (no `Compartment`, `harden`, `lockdown`), every
 * constructor reachable from a function throws, and code a submission makes
 * from text (`Function`, `new Function`, indirect `eval`; SES refuses direct
 * `eval` at load) is
 * metered like its own: the same loop costs at least as much as when written
 * plainly, and an endless one is stopped by the budget.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMPARTMENT_GLOBALS, evaluateConfined } from '../../harness/confine/compartment.ts';
import { bundleTsConfined } from '../../harness/loader/bundle-ts.ts';
import { loadSubmission } from '../../harness/loader/load.ts';
import { meteringOptions } from '../../harness/confine/metering.ts';
import { CALL_SITE_GLOBALS, METER_GLOBAL } from '../../harness/meter/ts-transform.ts';
import { STEP_METER } from '../../harness/meter/step-meter.ts';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/evaluators/${name}`, import.meta.url));

async function probe(): Promise<Record<string, unknown>> {
  const file = fixture('probe-globals.ts');
  const bundle = await bundleTsConfined(file);
  // esbuild's exports are getters (student code): read under the meter.
  return STEP_METER.run(1_000_000, null, () => ({ ...evaluateConfined('probe', bundle, meteringOptions({}, 'probe')).exports })).value;
}

async function stepsPerMalloc(name: string, n: number): Promise<number> {
  const sub = await loadSubmission(fixture(name));
  const inst = sub.instantiate({ seed: 1, limit: 1 << 20 });
  inst.allocator.malloc(n);
  return inst.heap.meter!.lastCall;
}

describe('the grading compartment has no unmetered evaluator', () => {
  it('its global object is exactly the allow-list plus the kit\'s endowments', async () => {
    const { names } = await probe();
    expect([...(names as string[])].sort()).toEqual([...COMPARTMENT_GLOBALS, 'print', 'console', METER_GLOBAL, ...Object.values(CALL_SITE_GLOBALS)].sort());
    expect(COMPARTMENT_GLOBALS).not.toContain('Compartment');
    expect(COMPARTMENT_GLOBALS).toContain('Float64Array');
  });

  it('every other path from text to code is blocked', async () => {
    const { escapes } = await probe();
    for (const [path, outcome] of Object.entries(escapes as Record<string, string>)) {
      expect({ path, outcome }).toEqual({ path, outcome: expect.stringMatching(/^blocked/) });
    }
  });

  it('code made by Function, new Function and eval is metered: it costs no less than the same loop written plainly', async () => {
    const plain = await stepsPerMalloc('loop-plainly.ts', 1);
    expect(plain).toBeGreaterThan(20_000);
    for (const way of [1, 2, 3]) {
      const hostile = await stepsPerMalloc('loop-through-evaluators.ts', way);
      expect({ way, atLeastPlain: hostile >= plain }).toEqual({ way, atLeastPlain: true });
    }
  }, 60_000);

  it('typed arrays the README promises are constructible, Float64Array included', async () => {
    const file = fixture('probe-globals.ts');
    const bundle = await bundleTsConfined(file);
    const c = evaluateConfined('f64', { ...bundle, code: 'module.exports.n = new Float64Array(4).length + new Float32Array(2).length;' }, {});
    expect(c.exports.n).toBe(6);
  });
});
