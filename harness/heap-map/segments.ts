/**
 * The heap as the checker sees it: live payloads, and the gaps between them.
 * The checker knows only payloads (it never reads the allocator's headers),
 * so a gap holds whatever the allocator keeps there: headers, footers,
 * alignment padding and free blocks, in a mix it cannot tell apart. Small
 * gaps are almost always overhead; large ones are almost always free space.
 */
import type { HeapSnapshot } from './types.ts';

/**
 * Gaps of at least this many bytes are drawn as holes (probably free space):
 * larger than any sane header + footer + padding of one block (16..48 bytes).
 */
export const HOLE_THRESHOLD = 64;

export type SegmentKind = 'payload' | 'overhead' | 'hole';

export interface Segment {
  kind: SegmentKind;
  /** First byte. */
  start: number;
  /** One past the last byte. */
  end: number;
  /** For a payload: its block id in the trace. */
  blockId?: number;
}

export function gapKind(bytes: number): SegmentKind {
  return bytes >= HOLE_THRESHOLD ? 'hole' : 'overhead';
}

/**
 * [base, brk) cut into payloads and gaps, in address order. Zero-size blocks
 * (malloc(0) pointers) cover no bytes and are left out. Blocks are clamped to
 * the heap, and a block overlapping its predecessor only adds its new bytes,
 * so the segments never overlap even for a snapshot taken at a violation.
 */
export function heapSegments(snapshot: HeapSnapshot): Segment[] {
  const { base, brk } = snapshot;
  const out: Segment[] = [];
  let cursor = base;
  const blocks = snapshot.blocks.filter((b) => b.size > 0).sort((a, b) => a.ptr - b.ptr);
  for (const b of blocks) {
    const start = Math.max(b.ptr, cursor);
    const end = Math.min(b.ptr + b.size, Math.max(brk, cursor));
    if (end <= start) continue;
    if (start > cursor) out.push({ kind: gapKind(start - cursor), start: cursor, end: start });
    out.push({ kind: 'payload', start, end, blockId: b.id });
    cursor = end;
  }
  if (brk > cursor) out.push({ kind: gapKind(brk - cursor), start: cursor, end: brk });
  return out;
}

export interface GapSummary {
  /** brk - base. */
  extent: number;
  /** Bytes of live payload. */
  payload: number;
  /** Bytes between payloads (extent - payload): overhead plus free space. */
  gapBytes: number;
  /** The largest gap between consecutive payloads (base and brk count as ends), or null with none. */
  largest: { start: number; size: number } | null;
  /** Gaps of HOLE_THRESHOLD bytes or more. */
  holes: number;
}

/**
 * The largest gap is our measure of the largest free hole: it overstates the
 * real free block by the header/footer of the neighbour (a few bytes), and it
 * includes the tail between the last payload and brk, which an allocator
 * that keeps free space at the end of the heap can use.
 */
export function summarizeGaps(snapshot: HeapSnapshot): GapSummary {
  let payload = 0;
  let gapBytes = 0;
  let holes = 0;
  let largest: GapSummary['largest'] = null;
  for (const s of heapSegments(snapshot)) {
    const size = s.end - s.start;
    if (s.kind === 'payload') {
      payload += size;
      continue;
    }
    gapBytes += size;
    if (s.kind === 'hole') holes++;
    if (!largest || size > largest.size) largest = { start: s.start, size };
  }
  return { extent: snapshot.brk - snapshot.base, payload, gapBytes, largest, holes };
}
