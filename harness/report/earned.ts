/**
 * What a report earned, as `score` (harness/plan/score.ts) decided it, for
 * every reporter and platform writer to print: a grade's total out of 100,
 * or a test run's check points. The one place points are added up after
 * scoring; a reporter never adds its own.
 */
import { isGradeReport, type GradeReport, type TestReport } from './types.ts';

export function earned(report: TestReport | GradeReport): { points: number; maxPoints: number } {
  if (isGradeReport(report)) return { points: report.score, maxPoints: 100 };
  return { points: round2(report.checks.reduce((s, c) => s + c.points, 0)), maxPoints: round2(report.checks.reduce((s, c) => s + c.maxPoints, 0)) };
}

const round2 = (x: number): number => Math.round(x * 100) / 100;
