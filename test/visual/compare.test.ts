import { describe, expect, it } from 'vitest';
import { loadSubmission } from '../../harness/loader/load.ts';
import { compareAllocators, lastAllocatingOp, PLACEMENT_ALLOCATORS } from '../../harness/visual/compare.ts';
import { resolveTrace } from '../../harness/visual/trace-source.ts';
import { submissionFromFactory } from '../../harness/loader/load-ts.ts';
import brokenFactory from '../fixtures/visual/reuse-without-unlink.ts';
import { OVERLAP_TRACE } from '../fixtures/visual/traces.ts';
import { formatComparison } from '../../scripts/commands/compare.ts';

describe('compareAllocators', () => {
  it('shows on the seed 64 KB example that best fit keeps the big holes', async () => {
    // Arrange
    const { trace, limit } = await resolveTrace('placement-64k');
    const loaded = await Promise.all(PLACEMENT_ALLOCATORS.map((s) => loadSubmission(s)));
    // Act
    const c = compareAllocators(loaded, trace, { ...(limit !== undefined && { limit }) });
    // Assert
    expect(c.limit).toBe(64 * 1024);
    expect(c.measuredAt).toBe(lastAllocatingOp(trace.ops));
    const row = (label: string) => c.rows.find((r) => r.label === label)!;
    expect(c.rows.map((r) => r.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
    expect(row('ref:best-fit').nulls).toBe(0);
    expect(row('ref:first-fit').nulls).toBeGreaterThan(0);
    expect(row('ref:worst-fit').nulls).toBeGreaterThan(0);
    // Best fit served everything, so the least space sits in gaps and its largest hole is the smallest.
    const best = row('ref:best-fit').gaps!;
    for (const other of ['ref:first-fit', 'ref:worst-fit']) {
      expect(best.largest!.size).toBeLessThan(row(other).gaps!.largest!.size);
      expect(best.payload).toBeGreaterThan(row(other).gaps!.payload);
    }
    const table = formatComparison(c);
    expect(table).toMatch(/^ref:best-fit +pass +\S+ +\S+ +0 /m);
    expect(table).toContain('largest hole');
  });

  it('reports a violation instead of holes when an allocator breaks first', () => {
    const broken = submissionFromFactory('reuse-without-unlink', brokenFactory);
    const c = compareAllocators([broken], OVERLAP_TRACE, { timelines: true });
    expect(c.rows[0]!.status).toBe('fail');
    expect(c.rows[0]!.violation?.kind).toBe('overlap');
    expect(c.rows[0]!.gaps).toBeUndefined();
    expect(c.rows[0]!.timeline?.violation?.op).toBe(5);
  });

  it('measures after the last allocating op, skipping the trailing frees', () => {
    expect(lastAllocatingOp(OVERLAP_TRACE.ops)).toBe(5);
    expect(lastAllocatingOp([{ kind: 'f', id: 0 }])).toBe(0);
  });
});
