import { describe, expect, it } from 'vitest';
import { submissionFromFactory } from '../../harness/loader/load-ts.ts';
import { loadSubmission } from '../../harness/loader/load.ts';
import { downsampleRects, downsampleSeries, type TimelineRect } from '../../harness/visual/downsample.ts';
import { recordTimeline } from '../../harness/visual/timeline.ts';
import brokenFactory from '../fixtures/visual/reuse-without-unlink.ts';
import { churnTrace, OVERLAP_TRACE } from '../fixtures/visual/traces.ts';

describe('recordTimeline', () => {
  it('records each block from its malloc to its free, and the curves per op', async () => {
    // Arrange
    const ff = await loadSubmission('ref:first-fit');
    const trace = { name: 'small', ops: [...OVERLAP_TRACE.ops.slice(0, 5), { kind: 'r' as const, id: 3, size: 5000 }, { kind: 'f' as const, id: 1 }] };
    // Act
    const t = recordTimeline(ff, trace);
    // Assert
    expect(t.violation).toBeUndefined();
    expect(t.shownOps).toBe(7);
    const byId = (id: number): Pick<TimelineRect, 's' | 'e' | 'n'>[] => t.rects.filter((r) => r.id === id).map(({ s, e, n }) => ({ s, e, n }));
    expect(byId(0)).toEqual([{ s: 0, e: 3, n: 200 }]);
    expect(byId(1)).toEqual([{ s: 1, e: 6, n: 64 }]);
    expect(byId(2)).toEqual([{ s: 2, e: 7, n: 4000 }]);
    // The realloc to 5000 bytes ends the 100-byte rectangle and starts a new one.
    expect(byId(3)).toEqual([{ s: 4, e: 5, n: 100 }, { s: 5, e: 7, n: 5000 }]);
    expect(t.series.op).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(t.series.live).toEqual([200, 264, 4264, 4064, 4164, 9064, 9000]);
    expect(Math.max(...t.series.heap)).toBe(t.peakHeap);
    expect(t.utilization).toBeCloseTo(9064 / t.peakHeap, 6);
  });

  it('stops at a violation and keeps the heap map there', () => {
    const broken = submissionFromFactory('reuse-without-unlink', brokenFactory);
    const t = recordTimeline(broken, OVERLAP_TRACE);
    expect(t.violation?.kind).toBe('overlap');
    expect(t.shownOps).toBe(6);
    expect(t.series.op).toHaveLength(6);
    expect(t.heapMap).toContain('Heap map at op #5 overlap');
    expect(t.rects.every((r) => r.e <= 6)).toBe(true);
  });

  it('merges short-lived blocks of a 20,000-op trace under the cap and keeps every block counted', async () => {
    const ref = await loadSubmission('ref:reference');
    const t = recordTimeline(ref, churnTrace(20_000), { maxRects: 1500, maxPoints: 500 });
    expect(t.sampling.blocks).toBeGreaterThan(9000);
    expect(t.rects.length).toBeLessThanOrEqual(1500);
    expect(t.rects.reduce((a, r) => a + (r.k ?? 1), 0)).toBe(t.sampling.blocks);
    expect(t.series.op.length).toBeLessThanOrEqual(500);
    expect(Math.max(...t.series.heap)).toBe(t.peakHeap);
  });
});

describe('downsampling', () => {
  it('leaves a small timeline alone', () => {
    const rects: TimelineRect[] = [{ s: 0, e: 4, a: 0, n: 16, id: 0 }];
    expect(downsampleRects(rects, 4, 32, 10)).toEqual(rects);
  });

  it('merges neighbours that live in the same columns', () => {
    const rects: TimelineRect[] = Array.from({ length: 100 }, (_, i) => ({ s: i % 2, e: 2 + (i % 2), a: i * 32, n: 16, id: i }));
    const out = downsampleRects(rects, 4, 3200, 10);
    expect(out.length).toBeLessThanOrEqual(10);
    expect(out.reduce((a, r) => a + (r.k ?? 1), 0)).toBe(100);
    for (const r of out) expect(r.a + r.n).toBeLessThanOrEqual(3200);
  });

  it('keeps the peak of each bucket', () => {
    const heap = [1, 5, 2, 2, 9, 1, 1];
    const s = downsampleSeries(heap, heap, 3);
    expect(s.op).toEqual([0, 3, 6]);
    expect(s.heap).toEqual([5, 9, 1]);
  });
});
