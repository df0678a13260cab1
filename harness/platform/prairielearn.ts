/**
 * PrairieLearn's external-grader results.json (ecosystem.md §3): `score` in
 * [0, 1], `tests[]` with points and max_points. A kit error is reported as
 * `gradable: false` with `format_errors`, which PrairieLearn documents as "no
 * points lost and no attempt consumed": the student is not charged for the
 * kit's failure. The file must stay under 1 MB, so outputs are capped.
 */
import { cap, checkDetails, isGradeReport, round2, totals, workloadDetails, type PlatformReport } from './common.ts';

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

export function toPrairieLearn(report: PlatformReport): PrairieLearnResults {
  if (report.status === 'error') {
    return {
      gradable: false,
      format_errors: [`The grading kit failed (not your submission): ${cap(report.error ?? 'see the checks marked error', FIELD_CAP)}`],
    };
  }
  const { score, max } = totals(report);
  const tests: PrairieLearnTest[] = report.checks.map((c) => ({
    name: c.name,
    description: c.description,
    points: round2(c.points),
    max_points: round2(c.maxPoints),
    message: cap(checkDetails(c).join('\n'), FIELD_CAP),
    ...(c.output ? { output: cap(c.output, FIELD_CAP) } : {}),
  }));
  if (isGradeReport(report)) {
    for (const w of report.workloads) {
      tests.push({ name: `workload ${w.name}`, description: w.description, message: cap(workloadDetails(w).join('\n'), FIELD_CAP) });
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
    message: lines.filter(Boolean).join('\n'),
    tests,
  };
}
