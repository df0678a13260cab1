/** `heapgrade test` for a person: a table of checks, then each failure explained. */
import { styler } from './color.ts';
import { groupByRootCause } from './root-cause.ts';
import type { CheckResult, TestReport } from './types.ts';
import { formatCheckFailure, formatHeapCheckNote, quoteOutput } from './violation-text.ts';
import { cleanText } from './sanitize.ts';
import { earned } from './earned.ts';

export interface TestTextOptions {
  color?: boolean;
  /** The rows were already printed as the checks finished: do not repeat the table. */
  rowsStreamed?: boolean;
  /** The heading was already printed (before the run started). */
  headingShown?: boolean;
  /** Only the failures and the verdict. */
  quiet?: boolean;
  /** Also what the allocator printed under passing checks (capped). */
  verbose?: boolean;
}

/** Lines of a passing check's output shown with --verbose. */
const VERBOSE_OUTPUT_LINES = 10;

export function formatTestReport(report: TestReport, options: TestTextOptions = {}): string {
  const s = styler(options.color === true);
  const out: string[] = [];
  if (!options.headingShown) out.push(testHeading(report.submission, s));
  if (report.error) {
    out.push('');
    out.push(report.status === 'error' ? `heapgrade itself failed: ${cleanText(report.error)}` : `${s('red', 'Your allocator did not load:')}\n${cleanText(report.error)}`);
    return out.join('\n');
  }
  const width = Math.max(...report.checks.map((c) => c.name.length));
  const failed = report.checks.filter((c) => c.status !== 'pass');
  const groups = groupByRootCause(failed);
  const leadOf = new Map<CheckResult, CheckResult>();
  for (const g of groups) for (const c of g.same) leadOf.set(c, g.lead);
  if (report.notes?.length) {
    // The compiler's own words, file:line:col first, as a student would see them from clang.
    out.push('', s('yellow', `The compiler warned (${report.notes.length} warning${report.notes.length === 1 ? '' : 's'}):`));
    for (const n of report.notes) out.push(...n.split('\n').map((l) => `  ${l}`));
  }
  if (!options.rowsStreamed && !options.quiet) {
    out.push('');
    for (const c of report.checks) out.push(formatCheckLine(c, width, s, leadOf.get(c)));
  }
  if (options.verbose) {
    for (const c of report.checks.filter((x) => x.status === 'pass' && x.output)) {
      out.push('', `  ${s('green', '✓')} ${c.name}: your allocator printed:`, quoteOutput(c.output!, VERBOSE_OUTPUT_LINES));
    }
  }
  for (const g of groups) {
    out.push('');
    out.push(formatCheckFailure(g.lead, options));
    if (g.same.length) {
      const names = g.same.map((c) => `${c.name} (${c.points}/${c.maxPoints})`).join(', ');
      out.push(`  ${s('red', `The same bug also fails: ${names}.`)} Fix it and run again: those checks stopped at it.`);
    }
  }
  if (report.heapCheck) out.push('', formatHeapCheckNote(report.heapCheck, options));
  const { points, maxPoints: max } = earned(report);
  const passed = report.checks.length - failed.length;
  out.push('');
  const verdict = failed.length === 0 ? s('green', 'all checks pass') : s('red', `${failed.length} check${failed.length === 1 ? '' : 's'} failed`);
  out.push(`${verdict}: ${passed}/${report.checks.length} checks, ${points}/${max} correctness points, ${(report.durationMs / 1000).toFixed(1)} s`);
  return out.join('\n');
}

/** One row of the table; as it streams in and in the final report. `sameAs` is the check that explains it. */
export function formatCheckLine(c: CheckResult, width: number, s: ReturnType<typeof styler>, sameAs?: CheckResult): string {
  const mark = c.status === 'pass' ? s('green', '✓') : c.status === 'error' ? s('magenta', '!') : s('red', '✗');
  const pts = `${c.points}/${c.maxPoints}`.padStart(6);
  const failure = c.violations.map((v) => `${v.kind}${v.op >= 0 ? ` at call #${v.op}` : ''}`).join(', ');
  if (c.beyondHandout) {
    // Not required by the course's handout: shown, never counted as a failure.
    const seen = c.observed === 'fail' ? `it found ${failure}` : 'it passes';
    return `  ${s('dim', '–')} ${c.name.padEnd(width)} ${pts}  ${s('dim', `beyond the handout (${seen}): ${c.beyondReason ?? ''}`)}`;
  }
  if (c.see) return `  ${mark} ${c.name.padEnd(width)} ${pts}  ${s('dim', `stopped at ${c.see.kind}${c.see.op >= 0 ? ` at call #${c.see.op}` : ''}: see ${c.see.check}, where it is explained`)}`;
  const what = c.status === 'pass' ? s('dim', c.search && c.search.stoppedBy !== 'runs' ? `${c.description}; ${searchCut(c.search)}` : c.description) : c.status === 'error' ? 'heapgrade error (not your fault)' : sameAs ? `${failure} (same bug as ${sameAs.name})` : failure;
  return `  ${mark} ${c.name.padEnd(width)} ${pts}  ${what}`;
}

/** A property search that stopped before its runs: how far it went, so a pass is read for what it is. */
function searchCut(search: NonNullable<CheckResult['search']>): string {
  const why = search.stoppedBy === 'steps' ? 'its step budget (property.stepBudget) ran out' : 'the wall-clock backstop (property.timeLimitMs) stopped it';
  return `${search.runs} random traces searched before ${why}`;
}

export function testHeading(submission: string, s: ReturnType<typeof styler>): string {
  return s('bold', `heapgrade test ${submission}`);
}

