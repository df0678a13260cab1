/**
 * The terminal heap map shown at a violation and by `heapgrade show`: a bar
 * of the heap around the fault, the seed's "16KB hole | 1KB b1 | ..." line,
 * an address table, and the operations that led there. Every mark is a
 * distinct character, so it reads the same without colour.
 */
import type { Violation } from '../checker/violation.ts';
import type { HeapSnapshot } from './types.ts';
import { paint, type Paint } from './ansi.ts';
import { resolveFocus, type HeapFocus, type ResolvedFocus } from './focus.ts';
import { formatBytes, hex, plural } from '../util/format.ts';
import { barWidths, chooseWindow, itemEnd, itemStart, type MapItem } from './layout.ts';
import { renderTable } from './table.ts';
import { HOLE_THRESHOLD, heapSegments, summarizeGaps, type Segment } from './segments.ts';

export interface HeapMapOptions {
  /** The block to point at: a block, or the violation (its block, the other block, its address). */
  focus?: HeapFocus | Violation;
  /** Characters of the bar. @default 72 */
  width?: number;
  /** ANSI colours. @default false */
  color?: boolean;
  /** Live blocks shown on each side of the focus before the rest is elided. @default 6 */
  context?: number;
  /** First line when the focus is not a violation. @default 'Heap map' */
  title?: string;
}

export type Mark = 'payload' | 'overhead' | 'hole' | 'focus' | 'other' | 'elided';
export const MARK_CHARS: Record<Mark, string> = { payload: '#', overhead: '+', hole: '.', focus: '!', other: '%', elided: '~' };
const C = MARK_CHARS;

/** The legend; `!` names the violation's block, or the block in focus (the one the shown op touched). */
export const heapMapLegend = (atFault: boolean): string[] => [
  `Legend: ${C.payload} live payload   ${C.focus} ${atFault ? 'the block at fault' : 'the block in focus'}   ${C.other} other block involved   ${C.elided} blocks not shown`,
  `        ${C.overhead} gap < ${HOLE_THRESHOLD}B between payloads: overhead/free (headers, footers, padding, or a small free block)`,
  `        ${C.hole} gap >= ${HOLE_THRESHOLD}B: a hole, probably free space (the checker sees payloads only, never your headers)`,
];

export function renderHeapMap(snapshot: HeapSnapshot, opts: HeapMapOptions = {}): string {
  const p = paint(opts.color === true);
  const width = Math.max(16, opts.width ?? 72);
  const focus = resolveFocus(opts.focus);
  const items = chooseWindow(heapSegments(snapshot), focus, opts.context ?? 6);
  const gaps = summarizeGaps(snapshot);
  const lines: string[] = [];

  lines.push(p.bold(focus?.header ? `Heap map at ${focus.header}` : (opts.title ?? 'Heap map')));
  const largest = gaps.largest ? `, largest gap ${formatBytes(gaps.largest.size)} at ${hex(gaps.largest.start)}` : '';
  lines.push(
    `heap [${hex(snapshot.base)}, ${hex(snapshot.brk)}) ${formatBytes(gaps.extent)}: ${plural(snapshot.blocks.length, 'live block')}, ` +
      `${formatBytes(gaps.payload)} payload, ${formatBytes(gaps.gapBytes)} in gaps${largest}`,
  );
  lines.push('');
  if (items.length === 0) lines.push('  (the heap is empty: brk = base)', '');
  else lines.push(...renderBar(items, width, focus, snapshot, p), '', ...cellLine(items, width + 2), '');
  lines.push(...renderTable(items, focus, snapshot, p), '');
  lines.push(...heapMapLegend(focus?.header !== undefined).map((l) => p.dim(l)));
  if (snapshot.recent.length > 0) {
    lines.push('', 'Last operations (oldest first):');
    snapshot.recent.forEach((r, i) => lines.push(i === snapshot.recent.length - 1 ? p.bold(` -> ${r}`) : `    ${r}`));
  }
  return lines.join('\n') + '\n';
}

function markOf(s: Segment, from: number, to: number, focus: ResolvedFocus | undefined): Mark {
  if (focus?.range && from < focus.range.end && focus.range.start < to) return 'focus';
  if (s.kind === 'payload' && focus?.other && s.blockId === focus.other.blockId) return 'other';
  return s.kind;
}

function renderBar(items: MapItem[], width: number, focus: ResolvedFocus | undefined, snap: HeapSnapshot, p: Paint): string[] {
  const widths = barWidths(items, width);
  let bar = '';
  items.forEach((it, i) => {
    const w = widths[i]!;
    if (it.type === 'elided') {
      bar += p.mark('elided', C.elided.repeat(w));
      return;
    }
    const s = it.segment;
    const len = s.end - s.start;
    // Runs of one mark are painted together to keep the escape codes few.
    let run = '';
    let runMark: Mark | undefined;
    for (let k = 0; k < w; k++) {
      const m = markOf(s, s.start + (k * len) / w, s.start + ((k + 1) * len) / w, focus);
      if (m !== runMark && runMark) {
        bar += p.mark(runMark, run);
        run = '';
      }
      runMark = m;
      run += C[m];
    }
    if (runMark) bar += p.mark(runMark, run);
  });
  const barLen = widths.reduce((a, b) => a + b, 0);
  const left = hex(itemStart(items[0]!));
  const end = itemEnd(items[items.length - 1]!);
  const right = hex(end) + (end === snap.brk ? ' (brk)' : '');
  return [`  ${left}${' '.repeat(Math.max(1, barLen + 2 - left.length - right.length))}${right}`, `  |${bar}|`];
}

/** The seed's table line, `16KB hole | 1KB b1 | ...`, wrapped to the width. */
function cellLine(items: MapItem[], width: number): string[] {
  const cells = items.map((it) => {
    if (it.type === 'elided') return `~ ${plural(it.blocks, 'block')}`;
    const s = it.segment;
    const size = formatBytes(s.end - s.start);
    return s.kind === 'payload' ? `${size} b${s.blockId}` : `${size} ${s.kind === 'hole' ? 'hole' : 'overhead/free'}`;
  });
  const out: string[] = [];
  let line = '  |';
  for (const c of cells) {
    const cell = ` ${c} |`;
    if (line.length + cell.length > width + 2 && line !== '  |') {
      out.push(line);
      line = '  |';
    }
    line += cell;
  }
  out.push(line);
  return out;
}
