/**
 * C metering through the real compiler: the instrumented module counts the
 * same instructions every run; an endless loop is a `timeout` at its call,
 * naming the function, at the same budget on an idle and a saturated
 * machine; a module importing what the kit does not provide is a load
 * failure; a side table in the stack region is off-heap metadata.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCSubmission } from '../../harness/wasm/load.ts';
import { runTests } from '../../harness/runner/run-tests.ts';
import { LoadError } from '../../harness/util/errors.ts';
import { instrumentModule, METER_EXPORT } from '../../harness/meter/wasm-pass.ts';
import { randomOps, runOps } from '../wasm/helpers.ts';
import { withCpuHog } from './hog.ts';

const c = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

describe('C metering', () => {
  it('counts the same instructions for the same calls, and nothing is counted twice', async () => {
    const sub = await loadCSubmission(c('c/libc-alloc.c'));
    const totals = [1, 2].map(() => {
      const inst = sub.instantiate({ seed: 7, limit: 1 << 24 });
      expect(runOps(inst, randomOps(3, 400))).toBeNull();
      return inst.heap.meter!.total;
    });
    expect(totals[0]).toBeGreaterThan(10_000);
    expect(totals[1]).toBe(totals[0]);
    // The cached module is the instrumented one, and the pass refuses to count twice.
    expect(WebAssembly.Module.exports(sub.compiled.module).some((e) => e.name === METER_EXPORT)).toBe(true);
    expect(() => instrumentModule(sub.compiled.wasm)).toThrow(/already instrumented/);
  }, 300_000);

  it('an endless loop in C is a timeout at its call naming the function, the same under a CPU hog', async () => {
    const options = { checks: ['zero-size', 'alignment'], checker: { stepBudget: { c: 5_000_000, ts: 1_000_000 } }, callTimeoutMs: 120_000, jobs: 1 };
    const idle = await runTests(c('c/hang-on-zero.c'), options);
    const busy = await withCpuHog(3, () => runTests(c('c/hang-on-zero.c'), options));
    const v = (r: typeof idle) => r.checks.find((x) => x.name === 'zero-size')!.violations[0]!;
    for (const r of [idle, busy]) {
      expect(v(r)).toMatchObject({ kind: 'timeout', op: 0 });
      expect(v(r).message).toMatch(/budget of 5,000,000 instructions in malloc/);
      expect(r.checks.find((x) => x.name === 'alignment')!.status).toBe('pass');
    }
    expect(v(busy).message).toBe(v(idle).message);
  }, 300_000);

  it('a module that imports a host function the kit does not provide is the submission\'s load failure', async () => {
    const err = await loadCSubmission(c('meter/foreign-import.c')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LoadError);
    expect((err as Error).message).toMatch(/"env"\."read_file" \(function\), which the kit does not provide/);
  }, 300_000);

  it('a side table in the stack region fails off-heap-metadata; a correct allocator with stack frames does not', async () => {
    const bad = await runTests(c('meter/stack-table.c'), { checks: ['off-heap-metadata', 'alignment'], jobs: 1 });
    const off = bad.checks.find((x) => x.name === 'off-heap-metadata')!;
    expect(off.status).toBe('fail');
    expect(off.violations[0]).toMatchObject({ kind: 'off-heap-metadata' });
    expect(off.violations[0]!.message).toMatch(/stay in the C stack region between calls/);
    expect(bad.checks.find((x) => x.name === 'alignment')!.status).toBe('pass');
    for (const good of ['c/libc-alloc.c', 'c/printf-malloclab.c', 'c/naive-malloclab.c']) {
      const r = await runTests(c(good), { checks: ['off-heap-metadata'], jobs: 1 });
      expect(r.checks[0], good).toMatchObject({ status: 'pass' });
    }
  }, 600_000);

  it('under a 64-bit profile (memory64, an i64 stack pointer) the stack region is checked too', async () => {
    const bad = await runTests(c('meter/stack-table.c'), { checks: ['off-heap-metadata'], profile: 'malloclab-2010', jobs: 1 });
    expect(bad.checks[0]!.status).toBe('fail');
    expect(bad.checks[0]!.violations[0]!.message).toMatch(/stay in the C stack region between calls/);
    const good = await runTests(c('c/libc-alloc.c'), { checks: ['off-heap-metadata'], profile: 'malloclab-2010', jobs: 1 });
    expect(good.checks[0]).toMatchObject({ status: 'pass' });
  }, 600_000);
});
