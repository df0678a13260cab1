/**
 * The zoo's other side: its correct twin passes every check, a heap-check
 * failure is only looked for when asked, and a corrupted payload is pinned
 * to the operation that wrote into it. (Split from zoo.test.ts for its length.)
 */
import { describe, expect, it } from 'vitest';
import { runTests } from '../../harness/runner/run-tests.ts';

const zoo = (name: string): string => new URL(`../fixtures/zoo/${name}.ts`, import.meta.url).pathname;

describe('the zoo, beyond one bug per allocator', () => {
  it('the correct twin of the zoo passes every check', async () => {
    const report = await runTests(zoo('correct'));
    const failures = report.checks.filter((c) => c.status !== 'pass').map((c) => `${c.name}: ${c.violations[0]?.message ?? c.error}`);
    expect(failures).toEqual([]);
    expect(report.status).toBe('pass');
    expect(report.checks.reduce((a, c) => a + c.points, 0)).toBe(100);
  });

  it('a heap-check failure is only looked for in --check-heap mode', async () => {
    const report = await runTests(zoo('check-complains'), { checks: ['free-null', 'realloc'] });
    expect(report.status).toBe('pass');
  });

  it('a corrupted payload is pinned to the operation that wrote into it, not where it was noticed', async () => {
    // A shrink budget it never reaches: the repro length is the shrink's fixed point, not what a busy machine allowed.
    const report = await runTests(zoo('corrupt-neighbour'), { checks: ['tiny-blocks'], shrinkMs: 60_000 });
    const v = report.checks[0]!.violations[0]!;
    expect(v.kind).toBe('payload-corrupted');
    // The bad write is the free of the block just below the corrupted one.
    expect(v.repro![v.op]!.kind).toBe('f');
    expect(v.repro!.length).toBeLessThanOrEqual(4);
    expect(v.foundAt).toBeGreaterThan(v.op);
  });
});
