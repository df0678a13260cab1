/**
 * Every allocator of the zoo has one realistic bug; each must be caught with
 * the right violation kind by the checks that target it, with a short repro.
 * (The correct twin, --check-heap mode and corruption pinning are in
 * zoo-twins.test.ts: one file each keeps both well under a minute under load.)
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
  { allocator: 'check-complains', checks: ['free-null'], kind: 'heap-check-failed', checkHeap: true },
];

describe('the zoo of broken allocators', () => {
  it.each(CASES)('$allocator is caught as $kind by $checks', async (c) => {
    // Act
    // The shrink's budget is wall clock; maxRepro is about its result, so the budget is one it never
    // reaches here (these repros shrink in well under a second on a quiet machine): the repro is then
    // the shrink's fixed point, the same under any load, not what 2 s allowed on a busy machine.
    // A hang is the step budget's to stop (a small one, so it is quick); the wall clock is only a far backstop.
    const report = await runTests(zoo(c.allocator), { checks: c.checks, checker: { checkHeap: c.checkHeap, ...(c.kind === 'timeout' ? { stepBudget: { c: 5_000_000, ts: 5_000_000 } } : {}) }, callTimeoutMs: 120_000, shrinkMs: 60_000 });
    // Assert
    if (c.checkHeap) {
      // The allocator's own check() is informative (template README): reported once for the run, no points lost.
      expect(report.heapCheck?.violation.kind).toBe(c.kind);
      expect(report.heapCheck!.checks).toEqual(c.checks);
      expect(report.checks.every((r) => r.points === r.maxPoints)).toBe(true);
      return;
    }
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
});
