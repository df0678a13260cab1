/**
 * Every allocator of the zoo has one realistic bug; each must be caught with
 * the right violation kind by the checks that target it, with a short repro.
 * The correct twin of the zoo passes everything.
 */
import { describe, expect, it } from 'vitest';
import type { ViolationKind } from '../../harness/checker/violation.ts';
import { runTests } from '../../harness/runner/run-tests.ts';

const zoo = (name: string): string => new URL(`../fixtures/zoo/${name}.ts`, import.meta.url).pathname;

interface Case {
  allocator: string;
  checks: string[];
  kind: ViolationKind;
  /** Longest acceptable minimal repro. */
  maxRepro?: number;
  checkHeap?: boolean;
}

const CASES: Case[] = [
  { allocator: 'misaligned', checks: ['alignment'], kind: 'misaligned', maxRepro: 1 },
  { allocator: 'out-of-heap', checks: ['alignment'], kind: 'out-of-heap', maxRepro: 2 },
  { allocator: 'overlap-split', checks: ['churn'], kind: 'overlap', maxRepro: 6 },
  // mdriver's "lo or hi inside" test misses a block handed out inside another one.
  { allocator: 'overlap-contain', checks: ['churn'], kind: 'overlap', maxRepro: 2 },
  { allocator: 'corrupt-neighbour', checks: ['integrity'], kind: 'payload-corrupted', maxRepro: 4 },
  { allocator: 'calloc-dirty', checks: ['calloc-dirty'], kind: 'calloc-not-zeroed', maxRepro: 4 },
  { allocator: 'calloc-wrap', checks: ['calloc-overflow'], kind: 'calloc-overflow', maxRepro: 1 },
  { allocator: 'realloc-half-copy', checks: ['realloc'], kind: 'realloc-data-lost', maxRepro: 2 },
  // Copying the new size reads past the old block: past the break when the old block is the last one (issue 12: it used to pass).
  { allocator: 'realloc-new-size', checks: ['realloc'], kind: 'segfault', maxRepro: 5 },
  { allocator: 'sticky-null', checks: ['exhaustion'], kind: 'spurious-null' },
  { allocator: 'prev-footer-segfault', checks: ['free-null'], kind: 'segfault', maxRepro: 2 },
  { allocator: 'throw-on-oom', checks: ['exhaustion'], kind: 'threw' },
  { allocator: 'zero-size-loop', checks: ['zero-size'], kind: 'timeout' },
  { allocator: 'off-heap-map', checks: ['off-heap-metadata'], kind: 'off-heap-metadata' },
  { allocator: 'off-heap-free-list', checks: ['off-heap-metadata'], kind: 'off-heap-metadata' },
  { allocator: 'check-complains', checks: ['free-null'], kind: 'heap-check-failed', checkHeap: true, maxRepro: 2 },
];

describe('the zoo of broken allocators', () => {
  it.each(CASES)('$allocator is caught as $kind by $checks', async (c) => {
    // Act
    const report = await runTests(zoo(c.allocator), { checks: c.checks, checker: { checkHeap: c.checkHeap }, callTimeoutMs: 1000, shrinkMs: 2000 });
    // Assert
    expect(report.status).toBe('fail');
    const failed = report.checks.filter((r) => r.status === 'fail');
    expect(failed.map((r) => r.name)).toEqual(c.checks);
    for (const r of failed) {
      const v = r.violations[0]!;
      expect(v.kind).toBe(c.kind);
      expect(v.message.length).toBeGreaterThan(10);
      expect(r.points).toBe(0);
      if (c.maxRepro !== undefined) {
        expect(v.repro?.length).toBeGreaterThan(0);
        expect(v.repro!.length).toBeLessThanOrEqual(c.maxRepro);
        expect(v.op).toBe(v.repro!.length - 1);
      }
    }
  });

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
    const report = await runTests(zoo('corrupt-neighbour'), { checks: ['tiny-blocks'] });
    const v = report.checks[0]!.violations[0]!;
    expect(v.kind).toBe('payload-corrupted');
    // The bad write is the free of the block just below the corrupted one.
    expect(v.repro![v.op]!.kind).toBe('f');
    expect(v.repro!.length).toBeLessThanOrEqual(4);
    expect(v.foundAt).toBeGreaterThan(v.op);
  });
});
