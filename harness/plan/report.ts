/**
 * A report from a scored run: the plan's mode says which kind (a test
 * report, or a grade report with its totals). Every report the parent makes
 * (a stopped child's, a resumed one's) and every one the child makes goes
 * through here, so they have the same fields, set the same way.
 */
import { RESULT_VERSION, type GradeReport, type TestReport } from '../report/types.ts';
import type { Scored } from './score.ts';
import type { GradingPlan } from './types.ts';

/** Fields of a report that are not scores: what the run itself said. */
export interface RunFacts {
  submission: string;
  durationMs: number;
  error?: string;
  notes?: string[];
  speedReference?: string;
}

export function reportOf(plan: Pick<GradingPlan, 'mode'>, scored: Scored, facts: RunFacts): TestReport | GradeReport {
  const test: TestReport = {
    version: RESULT_VERSION,
    kind: 'test',
    submission: facts.submission,
    status: scored.status,
    checks: scored.checks,
    ...(facts.error !== undefined && { error: facts.error }),
    ...(facts.notes && { notes: facts.notes }),
    durationMs: facts.durationMs,
  };
  if (plan.mode === 'test') return test;
  return {
    ...test,
    kind: 'grade',
    score: scored.score,
    correctness: scored.correctness,
    workloads: scored.workloads,
    ...(facts.speedReference !== undefined && { speedReference: facts.speedReference }),
    breakdown: scored.breakdown,
  };
}
