/** The address table under the heap map bar: one row per shown segment, the focus and the address of interest. */
import type { HeapSnapshot } from './types.ts';
import type { Paint } from './ansi.ts';
import type { ResolvedFocus } from './focus.ts';
import { formatBytes, hex, padLeft, padRight } from '../util/format.ts';
import { itemEnd, itemStart, type MapItem } from './layout.ts';
import type { Mark } from './heap-map.ts';
import { plural } from '../util/format.ts';

interface Row {
  /** Sort key: address, then rank (segments before the notes that point into them). */
  at: number;
  rank: number;
  mark: Mark | 'note';
  start?: number;
  end?: number;
  what: string;
}

const MARK_COLUMN: Record<Row['mark'], string> = { payload: ' ', overhead: ' ', hole: ' ', focus: '!', other: '%', elided: '~', note: '^' };

function whereOutside(at: number, snap: HeapSnapshot): string {
  if (at < snap.base) return ` (outside the heap: ${formatBytes(snap.base - at)} below base)`;
  if (at >= snap.brk) return ` (outside the heap: ${formatBytes(at - snap.brk)} past brk)`;
  return '';
}

export function renderTable(items: MapItem[], focus: ResolvedFocus | undefined, snap: HeapSnapshot, p: Paint): string[] {
  const rows: Row[] = [];
  let focusShown = false;
  for (const it of items) {
    if (it.type === 'elided') {
      const what = `${plural(it.blocks, 'block')} (${formatBytes(it.payload)} payload) not shown`;
      rows.push({ at: it.start, rank: 0, mark: 'elided', start: it.start, end: it.end, what });
      continue;
    }
    const s = it.segment;
    let mark: Mark = s.kind;
    let what = s.kind === 'payload' ? `b${s.blockId}` : s.kind === 'hole' ? 'hole (free?)' : 'overhead/free';
    if (s.kind === 'payload' && focus) {
      const exact = focus.range?.start === s.start && focus.range.end === s.end;
      if (exact && (focus.blockId === undefined || focus.blockId === s.blockId)) {
        mark = 'focus';
        what += `  <- ${focus.label}`;
        focusShown = true;
      } else if (focus.other?.blockId === s.blockId) {
        mark = 'other';
        what += '  (other block involved)';
      }
    }
    rows.push({ at: s.start, rank: 0, mark, start: s.start, end: s.end, what });
  }
  if (focus?.range && !focusShown) {
    const { start, end } = focus.range;
    rows.push({ at: start, rank: 1, mark: 'focus', start, end, what: `${focus.label}${whereOutside(start, snap)}` });
  }
  if (focus?.address) {
    const at = focus.address.at;
    rows.push({ at, rank: 2, mark: 'note', start: at, what: `${focus.address.label}${whereOutside(at, snap)}` });
  }
  if (items.length > 0) {
    const lo = itemStart(items[0]!);
    const hi = itemEnd(items[items.length - 1]!);
    for (const b of snap.blocks) {
      if (b.size === 0 && b.ptr >= lo && b.ptr <= hi) rows.push({ at: b.ptr, rank: 0, mark: 'payload', start: b.ptr, end: b.ptr, what: `b${b.id} (zero-size block)` });
    }
  }
  rows.sort((a, b) => a.at - b.at || a.rank - b.rank);

  const w = Math.max(8, ...rows.map((r) => hex(Math.max(r.start ?? 0, r.end ?? 0)).length));
  const head = `   ${padRight('address', w)}  ${padRight('end', w)}  ${padLeft('size', 7)}  what`;
  return [
    head,
    ...rows.map((r) => {
      const size = r.start !== undefined && r.end !== undefined ? formatBytes(r.end - r.start) : '';
      const line = `${padRight(r.start !== undefined ? hex(r.start) : '', w)}  ${padRight(r.end !== undefined ? hex(r.end) : '', w)}  ${padLeft(size, 7)}  ${r.what}`;
      const m = MARK_COLUMN[r.mark];
      const markCell = r.mark === 'note' ? p.red(m) : r.mark === 'payload' || r.mark === 'hole' || r.mark === 'overhead' ? m : p.mark(r.mark, m);
      return ` ${markCell} ${r.mark === 'focus' ? p.bold(line) : line}`.trimEnd();
    }),
  ];
}
