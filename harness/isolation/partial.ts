/**
 * Nothing earned is lost: the child streams each check's and each
 * workload's result over its channel as it completes; when the child is
 * stopped before its final report (overall time limit, memory, a crash),
 * the parent builds the report from what arrived, and marks every check and
 * workload that did not run as `not run`, with the reason. The plan (which
 * checks and workloads, how many points) is computed here, in the parent,
 * from the configuration: never from anything the child said.
 */
import { loadConfig } from '../config/load.ts';
import type { Config } from '../config/types.ts';
import { KNOWN_NAMES } from '../config/test-options.ts';
import { planWorkloads, selectWorkloads, type PlannedWorkload } from '../config/workloads.ts';
import { emptyWorkloadResult } from '../grade/workload.ts';
import { RESULT_VERSION, type CheckResult, type GradeReport, type TestReport, type WorkloadResult } from '../report/types.ts';
import { correctnessPoints, performancePoints, round2, totalScore } from '../scoring/score.ts';
import { CHECKS, findCheck } from '../../suites/correctness/index.ts';
import { WORKLOADS } from '../../suites/workloads/index.ts';
import type { IsolatedMode } from './protocol.ts';

/** What arrived from the child, in order. */
export interface Streamed {
  checks: CheckResult[];
  workloads: WorkloadResult[];
}

export interface GradingPlan {
  config: Config;
  checks: { name: string; description: string; maxPoints: number }[];
  workloads: PlannedWorkload[];
}

export async function gradingPlan(mode: IsolatedMode, configPath: string | undefined, gradeOptions: Record<string, unknown>): Promise<GradingPlan> {
  const { config, dir } = await loadConfig(configPath, KNOWN_NAMES);
  const wanted = Array.isArray(gradeOptions.checks) ? (gradeOptions.checks as string[]) : CHECKS.map((c) => c.name);
  const checks = gradeOptions.skipChecks === true ? [] : wanted.map((name) => {
    const c = findCheck(name);
    return { name, description: c?.description ?? '', maxPoints: config.checks[name] ?? c?.points ?? 0 };
  });
  const names = Array.isArray(gradeOptions.workloads) ? (gradeOptions.workloads as string[]) : undefined;
  const workloads = mode === 'grade' ? selectWorkloads(planWorkloads(config, WORKLOADS, dir), names) : [];
  return { config, checks, workloads };
}

const notRunCheck = (c: GradingPlan['checks'][number], reason: string): CheckResult => ({
  name: c.name,
  description: c.description,
  points: 0,
  maxPoints: c.maxPoints,
  status: 'fail',
  violations: [],
  ops: 0,
  durationMs: 0,
  notRun: reason,
});

/**
 * The report of a child that stopped early: what it streamed, then the rest
 * of the plan as not run. Status is `fail` (the run did not finish).
 */
export function partialReport(mode: IsolatedMode, spec: string, plan: GradingPlan, streamed: Streamed, reason: string, durationMs: number): TestReport | GradeReport {
  const byName = new Map(streamed.checks.map((c) => [c.name, c]));
  const checks = plan.checks.map((c) => {
    const got = byName.get(c.name);
    if (!got) return notRunCheck(c, reason);
    // Streamed before runTests applies the configuration's points: apply them the same way here.
    const override = plan.config.checks[c.name];
    return override === undefined ? got : { ...got, maxPoints: override, points: got.status === 'pass' ? override : 0 };
  });
  const base: TestReport = { version: RESULT_VERSION, submission: spec, status: 'fail', checks, durationMs };
  if (mode === 'test') return base;
  const wByName = new Map(streamed.workloads.map((w) => [w.name, w]));
  const workloads = plan.workloads.map((w) => wByName.get(w.name) ?? { ...emptyWorkloadResult(w), status: 'fail' as const, reason: `not run: ${reason}`, notRun: reason });
  const correctness = correctnessPoints(checks, plan.config);
  const perf = performancePoints(
    workloads.map((w) => ({ ...w, skipped: w.status === 'skipped', violated: w.status !== 'pass' })),
    plan.config,
  );
  const report: GradeReport = {
    ...base,
    score: totalScore(correctness.scaled, perf),
    correctness: { points: round2(correctness.points), maxPoints: correctness.maxPoints },
    workloads,
    breakdown: { correctness: round2(correctness.scaled), utilization: round2(perf.utilization), throughput: round2(perf.throughput) },
  };
  return report;
}

/** True when the streamed results cover the whole plan (a resumed run needs nothing more). */
export function remainingOf(plan: GradingPlan, done: Streamed): { checks: string[]; workloads: string[] } {
  const c = new Set(done.checks.map((x) => x.name));
  const w = new Set(done.workloads.map((x) => x.name));
  return { checks: plan.checks.map((x) => x.name).filter((n) => !c.has(n)), workloads: plan.workloads.map((x) => x.name).filter((n) => !w.has(n)) };
}
