/**
 * PrairieLearn's external-grader results.json (ecosystem.md §3): `score` in
 * [0, 1], `tests[]` with points and max_points. A kit error is reported as
 * `gradable: false` with `format_errors`, which PrairieLearn documents as "no
 * points lost and no attempt consumed": the student is not charged for the
 * kit's failure. A submission that does not compile or load is
 * `gradable: false` too, with the compiler's message in `output`: a failed
 * build costs the student no attempt (they fix it and submit again), as on
 * PrairieLearn's own "invalid, not graded" submissions. A crash or timeout
 * while grading is graded (score 0): the allocator ran and failed.
 * The file must stay under 1 MB, so outputs are capped.
 */
import type { Outcome } from '../isolation/classify.ts';
import { cleanText } from '../report/sanitize.ts';
import { checkDetails, isGradeReport, round2, totals, workloadDetails, type PlatformReport } from './common.ts';
import { capText } from '../util/output-cap.ts';

export interface PrairieLearnTest {
  name: string;
  description?: string;
  points?: number;
  max_points?: number;
  message?: string;
  output?: string;
}

export interface PrairieLearnResults {
  gradable: boolean;
  score?: number;
  format_errors?: string[];
  message?: string;
  output?: string;
  tests?: PrairieLearnTest[];
}

const FIELD_CAP = 20_000;

export interface PrairieLearnOptions {
  /**
   * How an isolated run ended, when the report came from one. Without it, a
   * report with an `error` and status `fail` is a load failure, which is the
   * only way an in-process run (`heapgrade test --reporter prairielearn`) has one.
   */
  outcome?: Outcome;
}

/** The submission never ran: it did not compile or load. */
export function isLoadFailure(report: PlatformReport, outcome?: Outcome): boolean {
  if (outcome !== undefined) return outcome === 'load-failed';
  return report.status === 'fail' && report.error !== undefined;
}

export function toPrairieLearn(report: PlatformReport, opts: PrairieLearnOptions = {}): PrairieLearnResults {
  if (report.status === 'error') {
    return {
      gradable: false,
      format_errors: [`The grading kit failed (not your submission): ${capText(cleanText(report.error ?? 'see the checks marked error'), FIELD_CAP)}`],
    };
  }
  if (isLoadFailure(report, opts.outcome)) {
    const message = capText(cleanText(report.error ?? 'the submission did not load'), FIELD_CAP);
    return {
      gradable: false,
      format_errors: ['Your submission did not compile or load, so it was not graded and used no attempt. Fix the error below and submit again.'],
      message,
      output: message,
    };
  }
  const { score, max } = totals(report);
  const tests: PrairieLearnTest[] = report.checks.map((c) => ({
    name: c.name,
    description: c.description,
    points: round2(c.points),
    max_points: round2(c.maxPoints),
    message: capText(cleanText(checkDetails(c).join('\n')), FIELD_CAP),
    ...(c.output ? { output: capText(cleanText(c.output), FIELD_CAP) } : {}),
  }));
  if (isGradeReport(report)) {
    for (const w of report.workloads) {
      tests.push({ name: `workload ${w.name}`, description: w.description, message: capText(cleanText(workloadDetails(w).join('\n')), FIELD_CAP) });
    }
  }
  const lines = [report.error ?? ''];
  if (isGradeReport(report)) {
    const b = report.breakdown;
    lines.push(`Score ${report.score} / 100: correctness ${b.correctness}, utilization ${b.utilization}, throughput ${b.throughput}.`);
  }
  return {
    gradable: true,
    score: max > 0 ? Math.min(1, Math.max(0, Math.round((score / max) * 1e4) / 1e4)) : 0,
    message: cleanText(lines.filter(Boolean).join('\n')),
    tests,
  };
}
