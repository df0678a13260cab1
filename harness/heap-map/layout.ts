/**
 * Layout of a heap map: which segments are shown (a window of blocks around
 * the focus, the rest elided) and how many bar characters each one gets.
 */
import type { ResolvedFocus } from './focus.ts';
import type { Segment } from './segments.ts';

export type MapItem = { type: 'segment'; segment: Segment } | { type: 'elided'; start: number; end: number; blocks: number; payload: number };

/** Characters of the bar given to each run of elided segments. */
export const ELIDED_WIDTH = 3;

function touchesFocus(s: Segment, f: ResolvedFocus): boolean {
  if (f.range && s.start < f.range.end && f.range.start < s.end) return true;
  if (s.kind === 'payload' && s.blockId !== undefined && (s.blockId === f.blockId || s.blockId === f.other?.blockId)) return true;
  return f.address !== undefined && s.start <= f.address.at && f.address.at < s.end;
}

/**
 * Shows `context` payloads on each side of the segments the focus touches
 * (without a focus, the first and last `context` payloads) and elides the
 * rest, so the map stays readable for a heap of 10,000 blocks.
 */
export function chooseWindow(segments: Segment[], focus: ResolvedFocus | undefined, context: number): MapItem[] {
  const n = segments.length;
  const shown = new Array<boolean>(n).fill(false);
  const payloads = segments.filter((s) => s.kind === 'payload').length;
  const hits: number[] = [];
  if (focus) segments.forEach((s, i) => touchesFocus(s, focus) && hits.push(i));
  if (payloads <= 2 * context + 1) shown.fill(true);
  else if (hits.length > 0) {
    // Everything between the first and last touched segment, then context on each side.
    for (let i = hits[0]!; i <= hits[hits.length - 1]!; i++) shown[i] = true;
    markSide(segments, shown, hits[0]!, -1, context);
    markSide(segments, shown, hits[hits.length - 1]!, +1, context);
  } else {
    markSide(segments, shown, -1, +1, context);
    markSide(segments, shown, n, -1, context);
  }
  const items: MapItem[] = [];
  for (let i = 0; i < n; i++) {
    const s = segments[i]!;
    if (shown[i]) {
      items.push({ type: 'segment', segment: s });
      continue;
    }
    const last = items[items.length - 1];
    const isPayload = s.kind === 'payload' ? 1 : 0;
    if (last?.type === 'elided') {
      last.end = s.end;
      last.blocks += isPayload;
      last.payload += isPayload * (s.end - s.start);
    } else items.push({ type: 'elided', start: s.start, end: s.end, blocks: isPayload, payload: isPayload * (s.end - s.start) });
  }
  return items;
}

/** Marks segments walking from `from` (exclusive) in `dir` until `context` payloads were passed. */
function markSide(segments: Segment[], shown: boolean[], from: number, dir: 1 | -1, context: number): void {
  let seen = 0;
  for (let i = from + dir; i >= 0 && i < segments.length; i += dir) {
    if (segments[i]!.kind === 'payload') {
      if (seen === context) return;
      seen++;
    }
    shown[i] = true;
  }
}

/**
 * Bar characters per item: elided runs get ELIDED_WIDTH, every shown segment
 * at least one, and the rest is shared in proportion to bytes (largest
 * remainder, so the widths add up to exactly `width`).
 */
export function barWidths(items: MapItem[], width: number): number[] {
  const fixed = items.map((it) => (it.type === 'elided' ? ELIDED_WIDTH : 1));
  const spare = Math.max(0, width - fixed.reduce((a, b) => a + b, 0));
  const bytes = items.map((it) => (it.type === 'segment' ? it.segment.end - it.segment.start : 0));
  const total = bytes.reduce((a, b) => a + b, 0);
  if (total === 0) return fixed;
  const exact = bytes.map((b) => (b / total) * spare);
  const widths = fixed.map((f, i) => f + Math.floor(exact[i]!));
  let left = spare - exact.reduce((a, e) => a + Math.floor(e), 0);
  const order = exact.map((e, i) => [e - Math.floor(e), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    widths[i]!++;
  }
  return widths;
}

export function itemStart(it: MapItem): number {
  return it.type === 'elided' ? it.start : it.segment.start;
}
export function itemEnd(it: MapItem): number {
  return it.type === 'elided' ? it.end : it.segment.end;
}
