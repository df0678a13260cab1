/**
 * GitHub Actions and Classroom (ecosystem.md §2): a Markdown step summary,
 * `::error` annotations that name the failing check, the runner result the
 * Classroom reporter reads (base64 JSON with points per check), and the
 * `::stop-commands::` wrapper that keeps a submission's output from being
 * read as workflow commands (a fake "Points 100/100" notice, say).
 */
import { cleanText, markdownFence, markdownInline } from '../report/sanitize.ts';
import { checkDetails, isGradeReport, round2, totals, type PlatformReport } from './common.ts';
import { platformShares, type ShareRules } from '../plan/shares.ts';

/** Markdown table cells: one line, no column breaks, no Markdown or HTML (harness/report/sanitize.ts). */
const cell = markdownInline;

const ICON = { pass: '✅', fail: '❌', error: '⚠️', skipped: '➖' } as const;

export function toStepSummary(report: PlatformReport): string {
  const { score, max } = totals(report);
  const out: string[] = [`## heapgrade: ${report.status === 'error' ? 'grading error' : `${round2(score)} / ${max}`}`, ''];
  if (report.status === 'error') out.push('> **The grading kit failed, not your allocator.** Re-run the workflow; if it persists, tell the course staff.', '');
  // Fenced: a compile error's caret stays under its column, and the text can inject nothing.
  if (report.error) out.push(markdownFence(report.error), '');
  if (report.checks.length) {
    out.push('| check | result | points | details |', '| --- | --- | ---: | --- |');
    for (const c of report.checks) {
      const v = c.violations[0];
      const detail = c.error ? `kit error: ${c.error}` : v ? `${v.kind} at op ${v.op}: ${v.message}` : '';
      out.push(`| ${cell(c.name)} | ${ICON[c.status]} ${c.status} | ${round2(c.points)} / ${round2(c.maxPoints)} | ${cell(detail)} |`);
    }
    out.push('');
  }
  if (isGradeReport(report) && report.workloads.length) {
    const b = report.breakdown;
    out.push(`Correctness ${b.correctness}, utilization ${b.utilization}, throughput ${b.throughput} (out of 100 in all).`, '');
    out.push('| workload | result | utilization | throughput |', '| --- | --- | ---: | ---: |');
    for (const w of report.workloads) {
      out.push(`| ${cell(w.name)} | ${ICON[w.status]} ${w.status} | ${(w.utilization * 100).toFixed(1)}% | ${w.throughput.toFixed(2)}x |`);
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

/** Workflow command escaping (data: % CR LF; properties also : and ,). */
const escapeData = (s: string) => cleanText(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export interface AnnotationOptions {
  /** The file the annotations point at (repository-relative). @default the report's submission path */
  file?: string;
  /** @default 1 */
  line?: number;
}

/** One `::error` per failing check (GitHub shows at most 10 per step: the first ones matter). */
export function toAnnotations(report: PlatformReport, opts: AnnotationOptions = {}): string[] {
  const file = escapeProperty(opts.file ?? report.submission);
  const line = opts.line ?? 1;
  const at = `file=${file},line=${line}`;
  if (report.checks.length === 0 && report.error !== undefined) {
    const title = report.status === 'error' ? 'heapgrade: grading error' : 'heapgrade: did not run';
    return [`::error ${at},title=${escapeProperty(title)}::${escapeData(report.error)}`];
  }
  return report.checks
    .filter((c) => c.status !== 'pass')
    .map((c) => {
      const title = c.status === 'error' ? `heapgrade: kit error in ${c.name}` : `heapgrade: ${c.name} failed`;
      return `::error ${at},title=${escapeProperty(title)}::${escapeData(checkDetails(c).join('\n'))}`;
    });
}

/** The runner result the Classroom reporter decodes (autograding-command-grader's shape), points per check. */
export interface ClassroomResult {
  version: 1;
  status: 'pass' | 'fail' | 'error';
  max_score: number;
  tests: { name: string; status: 'pass' | 'fail' | 'error'; score: number; message: string; test_code: string; filename: string; line_no: number; duration: number }[];
}

/** `rules`: the weights a grade's total is cut by, per test: the grading plan's (`plan.config`), whatever command made the report. */
export function toClassroomResult(report: PlatformReport, rules: ShareRules): ClassroomResult {
  const { max } = totals(report);
  // Each check's points on the grade's scale, and the workloads' together, as the scoring side cuts the total (harness/plan/shares.ts).
  const shares = platformShares(report, rules);
  const tests: ClassroomResult['tests'] = report.checks.map((c, i) => ({
    name: c.name,
    status: c.status,
    score: shares.checks[i]!.score,
    message: checkDetails(c).join('\n'),
    test_code: c.replay ?? `heapgrade test --check ${c.name}`,
    filename: '',
    line_no: 0,
    duration: c.durationMs,
  }));
  if (isGradeReport(report)) {
    // The performance points, as one test, so that the reporter's sum is the grade out of 100.
    const b = report.breakdown;
    const performance = shares.workloads.reduce((s, w) => s + Math.round((w?.score ?? 0) * 100), 0) / 100;
    tests.push({
      name: 'performance', status: report.status === 'error' ? 'error' : 'pass', score: performance,
      message: `utilization ${b.utilization}, throughput ${b.throughput}`, test_code: 'heapgrade grade', filename: '', line_no: 0, duration: 0,
    });
  }
  if (report.checks.length === 0 && report.error !== undefined) {
    tests.push({ name: 'load', status: report.status, score: 0, message: report.error, test_code: 'heapgrade test', filename: '', line_no: 0, duration: report.durationMs });
  }
  return { version: 1, status: report.status, max_score: max, tests };
}

export function encodeClassroomResult(report: PlatformReport, rules: ShareRules): string {
  return Buffer.from(JSON.stringify(toClassroomResult(report, rules))).toString('base64');
}

/**
 * Student output between `::stop-commands::TOKEN` and `::TOKEN::`: the runner
 * ignores commands inside; and without terminal escapes, which the Actions
 * log would otherwise render (colours, a cleared or overwritten line).
 */
export function wrapUntrusted(text: string, token: string): string {
  if (!/^[A-Za-z0-9_-]{16,}$/.test(token)) throw new Error('stop-commands token must be 16+ unguessable [A-Za-z0-9_-] characters');
  const clean = cleanText(text);
  return `::stop-commands::${token}\n${clean.endsWith('\n') ? clean : `${clean}\n`}::${token}::\n`;
}

/** The step summary when nothing was graded (the OS sandbox the course requires is refused here): why, and the fix. */
export function notGradedSummary(message: string): string {
  return `## heapgrade: not graded\n\n> **Your allocator was not graded, through no fault of yours.** The course staff must fix the grading set-up:\n\n${markdownFence(message)}\n`;
}

/** The Classroom result when nothing was graded: one zero-point error test that names the fix, out of the points the run was for. */
export function notGradedClassroomResult(message: string, maxScore: number): string {
  const result: ClassroomResult = {
    version: 1,
    status: 'error',
    max_score: maxScore,
    tests: [{ name: 'grading environment', status: 'error', score: 0, message, test_code: 'heapgrade classroom', filename: '', line_no: 0, duration: 0 }],
  };
  return Buffer.from(JSON.stringify(result)).toString('base64');
}
