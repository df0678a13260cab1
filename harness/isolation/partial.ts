/**
 * Nothing earned is lost: the child streams each check's and each
 * workload's result over its channel as it completes; when the child is
 * stopped before its final report (overall time limit, memory, a crash),
 * the parent builds the report from what arrived, and marks every check and
 * workload that did not run as `not run`, with the reason. What is owed and
 * what it is worth come from the parent's plan (harness/plan), never from
 * anything the child said: the points are set again by `score`.
 */
import { reportOf } from '../plan/report.ts';
import { score } from '../plan/score.ts';
import type { GradingPlan } from '../plan/types.ts';
import { isGradeReport, type CheckResult, type GradeReport, type TestReport, type WorkloadResult } from '../report/types.ts';

/** What arrived from the child, in order. */
export interface Streamed {
  checks: CheckResult[];
  workloads: WorkloadResult[];
}

/** The report of a child that stopped early: what it streamed, then the rest of the plan as not run. Status is `fail` (the run did not finish). */
export function partialReport(plan: GradingPlan, spec: string, streamed: Streamed, reason: string, durationMs: number): TestReport | GradeReport {
  return reportOf(plan, score(plan, { ...streamed, stopped: reason }), { submission: spec, durationMs });
}

/**
 * A resumed run's report: what the journal had, then what this run added
 * (`report`, when its child finished; its load notes and speed reference are
 * kept), scored again as one run.
 */
export function resumedReport(plan: GradingPlan, spec: string, earned: Streamed, report: TestReport | GradeReport | undefined, durationMs: number): TestReport | GradeReport {
  const workloads = isGradeReport(report) ? report.workloads : [];
  const all = { checks: [...earned.checks, ...(report?.checks ?? [])], workloads: [...earned.workloads, ...workloads] };
  return reportOf(plan, score(plan, all), {
    submission: spec,
    durationMs,
    ...(report?.notes && { notes: report.notes }),
    ...(isGradeReport(report) && report.speedReference !== undefined && { speedReference: report.speedReference }),
  });
}

/** What the streamed results do not cover yet (a resumed run runs only that). */
export function remainingOf(plan: GradingPlan, done: Streamed): { checks: string[]; workloads: string[] } {
  const c = new Set(done.checks.map((x) => x.name));
  const w = new Set(done.workloads.map((x) => x.name));
  return { checks: plan.checks.map((x) => x.name).filter((n) => !c.has(n)), workloads: plan.workloads.map((x) => x.name).filter((n) => !w.has(n)) };
}
