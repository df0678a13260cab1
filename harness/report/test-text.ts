/** `heapgrade test` for a person: a table of checks, then each failure explained. */
import { styler } from './color.ts';
import type { TestReport } from './types.ts';
import { formatCheckFailure } from './violation-text.ts';
import { cleanText } from './sanitize.ts';

export function formatTestReport(report: TestReport, options: { color?: boolean } = {}): string {
  const s = styler(options.color === true);
  const out: string[] = [];
  out.push(s('bold', `heapgrade test ${report.submission}`));
  if (report.error) {
    out.push('');
    out.push(report.status === 'error' ? `heapgrade itself failed: ${cleanText(report.error)}` : `${s('red', 'Your allocator did not load:')}\n${cleanText(report.error)}`);
    return out.join('\n');
  }
  const width = Math.max(...report.checks.map((c) => c.name.length));
  out.push('');
  for (const c of report.checks) {
    const mark = c.status === 'pass' ? s('green', '✓') : c.status === 'error' ? s('magenta', '!') : s('red', '✗');
    const pts = `${c.points}/${c.maxPoints}`.padStart(6);
    const found = c.violations.map((v) => `${v.kind}${v.op >= 0 ? ` at call #${v.op}` : ''}`).join(', ');
    if (c.beyondHandout) {
      // Not required by the course's handout: shown, never counted as a failure.
      const seen = c.observed === 'fail' ? `it found ${found}` : 'it passes';
      out.push(`  ${s('dim', '–')} ${c.name.padEnd(width)} ${pts}  ${s('dim', `beyond the handout (${seen}): ${c.beyondReason ?? ''}`)}`);
      continue;
    }
    const what = c.status === 'pass' ? s('dim', c.description) : c.status === 'error' ? 'heapgrade error (not your fault)' : found;
    out.push(`  ${mark} ${c.name.padEnd(width)} ${pts}  ${what}`);
  }
  const failed = report.checks.filter((c) => c.status !== 'pass');
  for (const c of failed) {
    out.push('');
    out.push(formatCheckFailure(c, options));
  }
  const points = report.checks.reduce((a, c) => a + c.points, 0);
  const max = report.checks.reduce((a, c) => a + c.maxPoints, 0);
  const passed = report.checks.length - failed.length;
  out.push('');
  const verdict = failed.length === 0 ? s('green', 'all checks pass') : s('red', `${failed.length} check${failed.length === 1 ? '' : 's'} failed`);
  out.push(`${verdict}: ${passed}/${report.checks.length} checks, ${points}/${max} correctness points, ${(report.durationMs / 1000).toFixed(1)} s`);
  return out.join('\n');
}
