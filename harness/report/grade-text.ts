/**
 * `heapgrade grade` for a person: the checks, a table of workloads
 * (utilization, speed relative to the reference, points), the total.
 */
import { styler } from './color.ts';
import type { GradeReport, WorkloadResult } from './types.ts';
import { formatCheckFailure, formatHeapCheckNote, formatViolation } from './violation-text.ts';
import { cleanText } from './sanitize.ts';

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const num = (x: number, d = 2): string => x.toFixed(d);

export function formatGradeReport(report: GradeReport, options: { color?: boolean } = {}): string {
  const s = styler(options.color === true);
  const out: string[] = [s('bold', `heapgrade grade ${report.submission}`), ''];
  if (report.error) {
    out.push(report.status === 'error' ? `heapgrade itself failed: ${cleanText(report.error)}` : `${s('red', 'Your allocator did not load:')}\n${cleanText(report.error)}`);
    out.push('', `score: ${report.score}/100`);
    return out.join('\n');
  }
  if (report.checks.length > 0) {
    out.push(s('bold', 'Correctness'));
    const width = Math.max(...report.checks.map((c) => c.name.length));
    for (const c of report.checks) {
      const mark = c.status === 'pass' ? s('green', '✓') : c.status === 'error' ? s('magenta', '!') : s('red', '✗');
      const kinds = c.see ? `stopped at ${c.see.kind}: see ${c.see.check}` : c.violations.map((v) => v.kind).join(', ');
      out.push(`  ${mark} ${c.name.padEnd(width)} ${`${c.points}/${c.maxPoints}`.padStart(7)}${kinds ? `  ${kinds}` : ''}`);
    }
    out.push('');
  }
  const metered = report.workloads.some((w) => w.costRatio !== undefined && w.throughput === w.costRatio && w.wallclockRatio === undefined);
  const basis = metered ? ', by metered cost per operation: the same on every machine' : '';
  out.push(s('bold', `Performance${report.speedReference ? ` (speed relative to ${report.speedReference}${basis})` : ''}`));
  out.push(...workloadTable(report.workloads));
  for (const c of report.checks.filter((c) => c.status !== 'pass')) out.push('', formatCheckFailure(c, options));
  if (report.heapCheck) out.push('', formatHeapCheckNote(report.heapCheck, options));
  // A hidden workload's file is not the student's to see: its warnings stay in the TA's record.
  const warnings = report.workloads.filter((w) => !w.hidden).flatMap((w) => w.traceWarnings ?? []);
  if (warnings.length > 0) out.push('', ...warnings.map((w) => `${s('yellow', 'warning:')} ${w}`));
  for (const w of report.workloads.filter((w) => w.violations.length > 0 && !w.hidden)) {
    out.push('', s('bold', `workload ${w.name}:`), ...w.violations.map((v) => formatViolation(v, options)));
  }
  const b = report.breakdown;
  out.push(
    '',
    `correctness ${num(b.correctness)} + utilization ${num(b.utilization)} + speed ${num(b.throughput)} = ` +
      s('bold', `${num(report.score)}/100`) +
      `  (${(report.durationMs / 1000).toFixed(1)} s)`,
  );
  return out.join('\n');
}

/** Fixed-width rows: name, weight, ops, util, speed, util score, speed score, status. */
export function workloadTable(workloads: readonly WorkloadResult[]): string[] {
  // Both speed numbers when both were measured: the metered one (cost/op) and the wall clock's.
  const both = workloads.some((w) => w.wallclockRatio !== undefined && w.costRatio !== undefined);
  const header = ['workload', 'weight', 'ops', 'util', 'speed', ...(both ? ['metered', 'clock'] : []), 'u-score', 's-score', 'status'];
  const ratio = (x: number | undefined): string => (x === undefined ? '-' : `${num(x)}x`);
  const rows = workloads.map((w) => [
    w.name,
    String(w.weight),
    String(w.ops),
    // A workload stopped by a bug measured only the calls before it: shown in brackets, never beside a full run's as if comparable.
    w.status === 'skipped' ? '-' : w.status === 'pass' ? pct(w.utilization) : `(${pct(w.utilization)})*`,
    w.status === 'skipped' ? '-' : w.status === 'pass' ? `${num(w.throughput)}x` : '-',
    ...(both ? [ratio(w.costRatio), ratio(w.wallclockRatio)] : []),
    num(w.utilScore),
    num(w.speedScore),
    w.status === 'pass' ? 'pass' : `${w.status}${w.violations[0] ? ` (${w.violations[0].kind})` : w.reason ? `: ${w.reason}` : ''}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    '  ' + cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  const partial = workloads.some((w) => w.status !== 'pass' && w.status !== 'skipped');
  const note = partial ? ['  (…)* stopped by a bug: measured up to that call only, not comparable with a full run (the workload scores 0)'] : [];
  return [line(header), ...rows.map(line), ...note];
}
