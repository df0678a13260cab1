import { describe, expect, it } from 'vitest';
import type { Violation } from '../../harness/checker/violation.ts';
import { stripAnsi } from '../../harness/util/format.ts';
import { renderHeapMap } from '../../harness/heap-map/heap-map.ts';
import { heapSegments, summarizeGaps } from '../../harness/heap-map/segments.ts';
import { manyBlocksSnapshot, placementSnapshot } from '../fixtures/visual/traces.ts';
import { expectGolden } from './golden.ts';

const overlapInB3: Violation = {
  kind: 'overlap',
  op: 12,
  call: 'b8 = malloc(2048)',
  ptr: 0x10000 + 16384 + 16 + 64 + 1024 + 16 + 32,
  size: 2048,
  blockId: 8,
  other: { blockId: 3, ptr: 0x10000 + 16384 + 16 + 64 + 1024 + 16, size: 64 },
  message: 'b8 = malloc(2048) returned a block that overlaps live block b3',
};

describe('renderHeapMap', () => {
  it('draws the seed 64 KB picture with the overlapping block (golden)', () => {
    // Arrange
    const snap = placementSnapshot();
    // Act
    const map = renderHeapMap(snap, { focus: overlapInB3 });
    // Assert
    expectGolden('heap-map-placement.txt', map);
    expect(map).toContain('16KB hole');
    expect(map).toMatch(/^ ! 0x14480 +0x14c80 +2KB  b8 = malloc\(2048\): overlap with b3$/m);
    expect(map).toContain('%');
    expect(map).toContain(' -> #12 b8 = malloc(2048)');
  });

  it('zooms around the focus in a big heap and elides the rest (golden)', () => {
    const snap = manyBlocksSnapshot(300);
    const target = snap.blocks[100]!;
    const map = renderHeapMap(snap, { focus: { ptr: target.ptr, size: target.size, blockId: target.id, label: 'the block of interest' }, context: 3 });
    expectGolden('heap-map-zoom.txt', map);
    const tableRows = map.split('\n').filter((l) => /^ . 0x/.test(l));
    expect(tableRows.length).toBeLessThan(20);
    expect(map).toMatch(/~ +0x20000 .* blocks \(.*payload\) not shown/);
    expect(map).toContain('<- the block of interest');
  });

  it('with colour uses ANSI codes and otherwise draws the same characters', () => {
    const snap = placementSnapshot();
    const plain = renderHeapMap(snap, { focus: overlapInB3 });
    const coloured = renderHeapMap(snap, { focus: overlapInB3, color: true });
    expect(coloured).toContain('\u001b[');
    expect(plain).not.toContain('\u001b[');
    expect(stripAnsi(coloured)).toBe(plain);
  });

  it('marks a fault address outside the heap', () => {
    const snap = placementSnapshot();
    const fault: Violation = { kind: 'segfault', op: 3, call: 'free(b1)', address: snap.brk + 8, message: 'segfault' };
    const map = renderHeapMap(snap, { focus: fault });
    expect(map).toMatch(/\^ 0x[0-9a-f]+ +fault address \(outside the heap: 8B past brk\)/);
  });

  it('says so when the heap is empty', () => {
    const map = renderHeapMap({ base: 0x4000, brk: 0x4000, blocks: [], recent: [] });
    expect(map).toContain('the heap is empty');
  });
});

describe('segments', () => {
  it('cut the heap into payloads and gaps, holes from 64 bytes', () => {
    const snap = placementSnapshot();
    const kinds = heapSegments(snap).map((s) => s.kind);
    expect(kinds).toEqual(['hole', 'payload', 'hole', 'payload', 'hole', 'payload', 'hole', 'payload', 'overhead']);
    const g = summarizeGaps(snap);
    expect(g.largest).toEqual({ start: 0x10000 + 16384 + 16 + 64 + 1024 + 16 + 64, size: 30720 + 16 });
    expect(g.payload).toBe(4 * 64);
    expect(g.gapBytes + g.payload).toBe(g.extent);
    expect(g.holes).toBe(4);
  });
});
