import { describe, expect, it } from 'vitest';
import { submissionFromFactory } from '../../harness/loader/load-ts.ts';
import { loadSubmission } from '../../harness/loader/load.ts';
import { UsageError } from '../../harness/util/errors.ts';
import { renderHeapMap } from '../../harness/heap-map/heap-map.ts';
import { snapshotAt } from '../../harness/visual/snapshot.ts';
import brokenFactory from '../fixtures/visual/reuse-without-unlink.ts';
import { OVERLAP_TRACE } from '../fixtures/visual/traces.ts';
import { expectGolden } from './golden.ts';

const broken = submissionFromFactory('reuse-without-unlink', brokenFactory);

describe('snapshotAt', () => {
  it('stops at the violation before op n and maps the heap there (golden)', () => {
    // Act
    const at = snapshotAt(broken, OVERLAP_TRACE.ops, 6, { seed: 3 });
    // Assert
    expect(at.violation?.kind).toBe('overlap');
    expect(at.violation?.op).toBe(5);
    expect(at.op).toBe(5);
    expect(at.snapshot.blocks.map((b) => b.id)).toEqual([3, 1, 2]);
    expect(at.snapshot.recent.at(-1)).toMatch(/^#5 b4 = malloc\(48\)/);
    const map = renderHeapMap(at.snapshot, { focus: at.violation! });
    expectGolden('heap-map-broken-overlap.txt', map);
    expect(map).toMatch(/^ ! .*b4 = malloc\(48\): overlap with b3$/m);
    expect(map).toMatch(/^ % .*b3  \(other block involved\)$/m);
  });

  it('shows the heap after op n with the block that op allocated in focus', async () => {
    const ff = await loadSubmission('ref:first-fit');
    const at = snapshotAt(ff, OVERLAP_TRACE.ops, 4);
    expect(at.violation).toBeNull();
    expect(at.op).toBe(4);
    expect(at.focus).toMatchObject({ blockId: 3, size: 100 });
    expect(at.snapshot.blocks.map((b) => b.id).sort()).toEqual([1, 2, 3]);
    expect(at.snapshot.recent).toHaveLength(5);
  });

  it('focuses a freed block on a free', async () => {
    const ff = await loadSubmission('ref:first-fit');
    const at = snapshotAt(ff, OVERLAP_TRACE.ops, 3);
    expect(at.focus?.label).toMatch(/^free\(b0=0x[0-9a-f]+\): freed here$/);
    expect(at.snapshot.blocks.some((b) => b.id === 0)).toBe(false);
  });

  it('rejects an operation index outside the trace with the valid range', () => {
    expect(() => snapshotAt(broken, OVERLAP_TRACE.ops, 7)).toThrow(UsageError);
    expect(() => snapshotAt(broken, OVERLAP_TRACE.ops, 7)).toThrow(/from 0 to 6/);
  });
});
