/**
 * `heapgrade trace` as text: a table with a row per trace, like mdriver's
 * (valid, utilization, operations, seconds, thousands of operations per
 * second), a total line, then what went wrong in each failing trace.
 */
import type { TraceSetResult } from './run-traces.ts';
import { styler } from '../report/color.ts';
import { formatViolation } from '../report/violation-text.ts';

export function formatTraceTable(result: TraceSetResult, options: { color?: boolean } = {}): string {
  const color = options.color === true;
  const s = styler(color);
  const { rows, total } = result;
  const nameWidth = Math.max(5, ...rows.map((r) => r.name.length));
  const pct = (u: number): string => `${(u * 100).toFixed(0)}%`;
  const kops = (ops: number, secs: number): string => (secs > 0 ? (ops / secs / 1000).toFixed(0) : '-');
  const line = (cells: string[]): string =>
    [cells[0]!.padEnd(nameWidth), cells[1]!.padStart(5), cells[2]!.padStart(5), cells[3]!.padStart(8), cells[4]!.padStart(9), cells[5]!.padStart(7)].join('  ');

  const out = [s('bold', `heapgrade trace: ${rows.length} trace${rows.length === 1 ? '' : 's'} on ${result.submission}`), ''];
  out.push(s('bold', line(['trace', 'valid', 'util', 'ops', 'secs', 'Kops'])));
  for (const r of rows) {
    const valid = r.status === 'pass' ? s('green', 'yes'.padStart(5)) : s('red', (r.status === 'error' ? 'error' : 'no').padStart(5));
    const cells =
      r.status === 'error'
        ? line([r.name, '', '-', '-', '-', '-'])
        : line([r.name, '', r.status === 'pass' ? pct(r.utilization) : '-', String(r.ops), r.seconds.toFixed(4), kops(r.ops, r.seconds)]);
    // The valid cell is coloured after padding, so escape codes do not upset the columns.
    out.push(cells.slice(0, nameWidth + 2) + valid + cells.slice(nameWidth + 7));
  }
  out.push(
    line([
      'Total',
      `${total.valid}/${total.traces}`,
      total.valid > 0 ? pct(total.utilization) : '-',
      String(total.ops),
      total.seconds.toFixed(4),
      kops(total.ops, total.seconds),
    ]),
  );
  out.push('', `secs: the replay under the full checker (allocator and checker together), after ${result.loadSeconds.toFixed(2)} s loading the submission once.`);
  // Generated rows (no file) are --set classic: say what they are, so no one reads them as the handout's traces.
  if (rows.some((r) => r.file === undefined)) {
    out.push(
      'classic: synthetic look-alikes of the 11 CS:APP traces, not the real ones; utilization can differ from the real traces\' by tens of points.',
      "To grade, run the course's own traces: heapgrade trace mm.c traces/*.rep",
    );
  }

  const warnings = rows.flatMap((r) => r.warnings ?? []);
  if (warnings.length > 0) out.push('', ...warnings.map((w) => `${s('yellow', 'warning:')} ${w}`));
  for (const r of rows) {
    if (r.status === 'error') {
      out.push('', `${s('red', '✗')} ${s('bold', r.name)}: not read, the other traces ran`, ...r.error!.split('\n').map((l) => `  ${l}`));
    } else if (r.status === 'pass') {
      if (rows.length === 1) out.push(`peak live payload ${r.peakPayload} B, peak heap ${r.peakHeap} B, utilization ${(r.utilization * 100).toFixed(1)}%, ${r.sbrkCalls} sbrk calls`);
    } else {
      const v = r.violation!;
      out.push(
        '',
        v.op < 0
          ? `${s('red', '✗')} ${s('bold', r.name)}: stopped while making the allocator (the factory or mm_init), before operation #0`
          : `${s('red', '✗')} ${s('bold', r.name)}: stopped at operation #${v.op} of ${r.ops}`,
        formatViolation({ ...v }, { color, snapshot: r.snapshot }),
      );
    }
    if (r.output) out.push('', `Your allocator printed (${r.name}):`, ...r.output.split('\n').map((l) => `  | ${l}`));
  }
  return `${out.join('\n')}\n`;
}
