/**
 * Gradescope's results.json (autograder specification, see
 * shared/research/ecosystem.md §1): one test per correctness check and per
 * counted workload, hidden workloads visible only `after_published`, a
 * leaderboard with utilization, throughput and score, and the total as the
 * top-level `score` (which overrides the sum of the tests). The tests'
 * scores and `max_score`s are the scoring side's (harness/plan/shares.ts):
 * they add up to the total and to 100, to the cent; nothing is computed here. Student text and
 * compiler output are fenced (harness/report/sanitize.ts), so they can
 * inject no Markdown or HTML and a clang caret stays under its column.
 */
import { cleanText, markdownFence, markdownInline } from '../report/sanitize.ts';
import { checkDetails, isGradeReport, round2, totals, workloadDetails, type PlatformReport } from './common.ts';
import { platformShares, type ShareRules } from '../plan/shares.ts';
import { capText } from '../util/output-cap.ts';
import { visibleFigures } from '../report/visible.ts';

export type GradescopeVisibility = 'hidden' | 'after_due_date' | 'after_published' | 'visible';
export type GradescopeFormat = 'text' | 'md' | 'html' | 'simple_format' | 'ansi';

export interface GradescopeTest {
  name: string;
  score?: number;
  max_score?: number;
  status?: 'passed' | 'failed';
  number?: string;
  output?: string;
  output_format?: GradescopeFormat;
  tags?: string[];
  visibility?: GradescopeVisibility;
  extra_data?: Record<string, unknown>;
}

export interface GradescopeResults {
  score?: number;
  execution_time?: number;
  output?: string;
  output_format?: GradescopeFormat;
  test_output_format?: GradescopeFormat;
  visibility?: GradescopeVisibility;
  stdout_visibility?: GradescopeVisibility;
  extra_data?: Record<string, unknown>;
  tests?: GradescopeTest[];
  leaderboard?: { name: string; value: number | string; order?: 'asc' | 'desc' }[];
}

export interface GradescopeOptions {
  /** Format of the outputs. @default 'md' */
  outputFormat?: 'md' | 'text';
  /** Correctness and performance points and the utilization share: the grading plan's (`plan.config`), whatever command made the report. */
  rules: ShareRules;
  /** What the submission printed, shown (capped) in the top-level output. */
  studentOutput?: string;
}

const OUTPUT_CAP = 8000;

export function toGradescope(report: PlatformReport, opts: GradescopeOptions): GradescopeResults {
  const md = (opts.outputFormat ?? 'md') === 'md';
  const fmt: GradescopeFormat = md ? 'md' : 'text';
  const tests: GradescopeTest[] = [];
  const grade = isGradeReport(report) ? report : undefined;
  // Each test's points on the 100-point scale, as the scoring side cuts the total (harness/plan/shares.ts): they add up to it.
  const shares = platformShares(report, opts.rules);
  report.checks.forEach((c, i) => {
    const { score, max } = shares.checks[i]!;
    tests.push({
      name: `Correctness: ${c.name}`,
      score,
      max_score: max,
      // Worth nothing: no green "passed" (a failure still shows, since the student should see it).
      ...(max > 0 || c.status !== 'pass' ? { status: c.status === 'pass' ? ('passed' as const) : ('failed' as const) } : {}),
      output: block(md, [c.description, ...checkDetails(c)].join('\n'), c.output),
      output_format: fmt,
      tags: ['correctness', c.status],
      visibility: 'visible',
    });
  });
  (grade?.workloads ?? []).forEach((w, i) => {
    const points = shares.workloads[i];
    tests.push({
      name: `Performance: ${w.name}${points ? '' : ' (not scored)'}`,
      // A workload worth no points has no status: Gradescope would show a green "passed" for a result that counted for nothing.
      ...(points ? { score: points.score, max_score: points.max, status: w.status === 'pass' ? ('passed' as const) : ('failed' as const) } : {}),
      output: block(md, workloadDetails(w).join('\n')),
      output_format: fmt,
      tags: ['performance', points ? w.status : 'not-scored'],
      visibility: w.hidden ? 'after_published' : 'visible',
      extra_data: { utilization: w.utilization, throughput: w.throughput },
    });
  });
  const { score } = totals(report);
  const results: GradescopeResults = {
    score: round2(report.status === 'error' ? 0 : score),
    execution_time: Math.round(report.durationMs / 1000),
    output: summary(report, md, opts.studentOutput, opts.rules.score.correctness),
    output_format: fmt,
    test_output_format: fmt,
    visibility: 'visible',
    stdout_visibility: 'hidden',
    extra_data: { heapgrade_status: report.status, version: report.version },
    tests,
  };
  if (grade) results.leaderboard = leaderboard(grade);
  return results;
}

type Grade = Extract<PlatformReport, { score: number }>;

/**
 * The leaderboard is public before publication: made of the visible workloads
 * only (a hidden workload's utilization would hand its trace out, a number at
 * a time), and without the total when hidden workloads count in it.
 */
function leaderboard(grade: Grade): NonNullable<GradescopeResults['leaderboard']> {
  const visible = visibleFigures(grade);
  return [
    { name: 'Utilization (%)', value: round2(visible.utilization * 100) },
    { name: 'Throughput (x reference)', value: round2(visible.throughput) },
    ...(grade.workloads.some((w) => w.hidden) ? [] : [{ name: 'Score', value: grade.score }]),
  ];
}

function summary(report: PlatformReport, md: boolean, studentOutput: string | undefined, correctnessMax: number): string {
  const lines: string[] = [];
  if (report.status === 'error') {
    lines.push('GRADING ERROR: the grading kit failed, not your submission. Your score is not final: please tell the course staff.');
  }
  // A load error is often clang's: its caret lines up with the source only in a monospaced block.
  if (report.error) lines.push(md ? markdownFence(report.error) : cleanText(report.error));
  if (isGradeReport(report) && report.status !== 'error') {
    const b = report.breakdown;
    // Visible before publication: with hidden workloads, the total and the performance parts include them, so only correctness is shown.
    if (report.workloads.some((w) => w.hidden)) {
      lines.push(`Correctness ${visibleFigures(report).correctness} / ${correctnessMax}; the total and the performance points include hidden workloads and are shown when grades are published.`);
    } else {
      lines.push(`Score ${report.score} / 100: correctness ${b.correctness}, utilization ${b.utilization}, throughput ${b.throughput}.`);
    }
  }
  const text = lines.join('\n\n');
  return studentOutput?.trim() ? `${text}\n\n${block(md, 'Your program printed:', studentOutput)}` : text;
}

/**
 * The kit's text (which quotes the submission: violation messages, kit errors)
 * as inline-escaped Markdown lines, and the student's output in a fence (md)
 * or after a rule (text), capped and cleaned of terminal escapes.
 */
function block(md: boolean, text: string, output?: string): string {
  const body = md ? text.split('\n').map(markdownInline).join('  \n') : cleanText(text);
  if (!output?.trim()) return body;
  const shown = capText(output.trimEnd(), OUTPUT_CAP);
  if (!md) return `${body}\n--- output ---\n${cleanText(shown)}`;
  return `${body}\n\n${markdownFence(shown)}`;
}

/**
 * results.json when nothing was graded (the OS sandbox the course requires
 * is refused here; the autograder's configuration is broken): score 0 with
 * a zero-point failed test whose name and output say why and what fixes it,
 * so the student sees "not graded, not your fault" and the staff the fix,
 * instead of Gradescope's generic failure for an empty results/.
 */
export function notGradedResults(testName: string, message: string, opts: { outputFormat?: 'md' | 'text'; extra?: Record<string, unknown> } = {}): GradescopeResults {
  const md = (opts.outputFormat ?? 'md') === 'md';
  const fmt: GradescopeFormat = md ? 'md' : 'text';
  const lead = 'NOT GRADED: the autograder could not grade this submission. This is not your submission\'s fault and this score is not final: the course staff must fix the autograder.';
  const text = (s: string) => (md ? markdownInline(s) : cleanText(s));
  return {
    score: 0,
    output: `${text(lead)}\n\n${text(message)}`,
    output_format: fmt,
    test_output_format: fmt,
    visibility: 'visible',
    stdout_visibility: 'hidden',
    extra_data: { heapgrade_status: 'error', not_graded: message, ...opts.extra },
    tests: [{ name: testName, score: 0, max_score: 0, status: 'failed', output: text(message), output_format: fmt, tags: ['not-graded'], visibility: 'visible' }],
  };
}
