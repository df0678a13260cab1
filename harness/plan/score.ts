/**
 * The ONE place a grade's points and status are decided: `score(plan,
 * results)` takes what ran (as the child streamed or reported it, journaled,
 * resumed, merged) and the plan, and returns every check's and workload's
 * points, what did not run, what is beyond the handout, the totals and the
 * status. Points a child sent are never kept: they are set again here from
 * the plan. Reporters and platform writers format what this returns.
 */
import type { Config } from '../config/types.ts';
import type { PlannedWorkload } from '../config/workloads.ts';
import type { CheckResult, Status, WorkloadResult } from '../report/types.ts';
import { correctnessPoints, performancePoints, round2, scoreWorkload, totalScore } from '../scoring/score.ts';
import type { GradingPlan, PlannedCheck } from './types.ts';
import { pointCheck } from '../report/check-points.ts';
import { chargeChecks } from '../report/one-charge.ts';
import { withOffHeapFindings } from '../report/off-heap-findings.ts';

export interface RunResults {
  checks: readonly CheckResult[];
  workloads?: readonly WorkloadResult[];
  /** The run stopped before its end, and why: what did not run is marked not run with this reason, and the status is `fail`. */
  stopped?: string;
}

export interface Scored {
  /** The plan's checks, in its order, with their points. */
  checks: CheckResult[];
  /** The plan's workloads (grade), in its order, with their scores. */
  workloads: WorkloadResult[];
  correctness: { points: number; maxPoints: number };
  /** Points out of 100 from correctness, utilization and speed (grade). */
  breakdown: { correctness: number; utilization: number; throughput: number };
  /** 0..100 (grade). */
  score: number;
  status: Status;
}

export function score(plan: GradingPlan, results: RunResults): Scored {
  // Tables made outside the heap in any check's or workload's calls fail off-heap-metadata, before any points are set;
  // in the plan's order, whatever order they arrived in (streamed, journaled, resumed), so the same finding is named every time.
  const hidden = new Set(plan.workloads.filter((w) => w.hidden).map((w) => w.name));
  const ran = inPlanOrder(results.workloads ?? [], plan.workloads).map((w) => (hidden.has(w.name) ? { ...w, hidden: true } : w));
  const checks = scoreChecks(plan.checks, withOffHeapFindings(inPlanOrder(results.checks, plan.checks), ran), results.stopped);
  const measured = plan.mode === 'grade' ? scoreWorkloads(plan.workloads, results.workloads ?? [], plan.config, results.stopped) : [];
  const workloads = forfeitedByOffHeap(plan.config, checks, measured);
  const correctness = correctnessPoints(checks, plan.config);
  const perf = performancePoints(
    workloads.map((w) => ({ ...w, skipped: w.status === 'skipped', violated: w.status !== 'pass' })),
    plan.config,
  );
  return {
    checks,
    workloads,
    correctness: { points: round2(correctness.points), maxPoints: correctness.maxPoints },
    breakdown: { correctness: round2(correctness.scaled), utilization: round2(perf.utilization), throughput: round2(perf.throughput) },
    score: plan.mode === 'grade' ? totalScore(correctness.scaled, perf) : round2(correctness.points),
    status: statusOf(checks, workloads, results.stopped),
  };
}

/** Results sorted as the plan lists them (any the plan does not list, last). */
function inPlanOrder<T extends { name: string }>(results: readonly T[], planned: readonly { name: string }[]): T[] {
  const at = new Map(planned.map((p, i) => [p.name, i]));
  const rank = (r: T): number => at.get(r.name) ?? planned.length;
  return [...results].sort((a, b) => rank(a) - rank(b));
}

/**
 * Each planned check's result with its points: all of them for a pass, none
 * otherwise; a check beyond the handout is worth 0 and never fails (what it
 * found is kept as `observed`); one that did not run earns 0. Idempotent: a
 * result scored before (a resumed child's report) scores the same again.
 */
export function scoreChecks(planned: readonly PlannedCheck[], results: readonly CheckResult[], stopped?: string): CheckResult[] {
  const byName = new Map(results.map((c) => [c.name, c]));
  const pointed = planned.map((p) => {
    const got = byName.get(p.name);
    if (!got) return missingCheck(p, stopped);
    return pointCheck(got, p.maxPoints, p.beyond);
  });
  // One bug, one charge (report/one-charge.ts): the same here as in the check runner.
  return chargeChecks(pointed);
}

function missingCheck(p: PlannedCheck, stopped: string | undefined): CheckResult {
  const base = { name: p.name, description: p.description, points: 0, maxPoints: p.maxPoints, violations: [], ops: 0, durationMs: 0 };
  return stopped !== undefined ? { ...base, status: 'fail', notRun: stopped } : { ...base, status: 'error', error: 'the check did not run' };
}

function scoreWorkloads(planned: readonly PlannedWorkload[], results: readonly WorkloadResult[], config: Config, stopped: string | undefined): WorkloadResult[] {
  const byName = new Map(results.map((w) => [w.name, w]));
  return planned.map((p) => {
    const got = byName.get(p.name) ?? missingWorkload(p, stopped);
    const s = scoreWorkload({ ...got, weight: p.weight, skipped: got.status === 'skipped', violated: got.status !== 'pass' }, config);
    return { ...got, weight: p.weight, hidden: p.hidden, utilScore: round4(s.utilScore), speedScore: round4(s.speedScore) };
  });
}

/**
 * Utilization and speed measured with the help of per-block metadata kept
 * outside the heap are not the allocator's: when the off-heap-metadata check
 * failed (a check beyond the handout never fails; one that did not run does
 * not count) and `offHeapForfeitsPerformance` is on, every workload that
 * passed scores 0 for both, saying why. `grade` applies it to its workloads
 * before adding up their points, as `score` does.
 */
export const OFF_HEAP_FORFEIT =
  'no utilization or speed points: the allocator fails off-heap-metadata, and both were measured with the help of the metadata it keeps outside the heap';

export function forfeitedByOffHeap(config: Config, checks: readonly CheckResult[], workloads: WorkloadResult[]): WorkloadResult[] {
  if (!config.offHeapForfeitsPerformance) return workloads;
  const off = checks.find((c) => c.name === 'off-heap-metadata');
  if (off?.status !== 'fail' || off.notRun !== undefined) return workloads;
  return workloads.map((w) => (w.status === 'pass' ? { ...w, status: 'fail', reason: OFF_HEAP_FORFEIT, utilScore: 0, speedScore: 0 } : w));
}

function missingWorkload(p: PlannedWorkload, stopped: string | undefined): WorkloadResult {
  const base = emptyWorkloadResult(p);
  return stopped !== undefined ? { ...base, status: 'fail', reason: `not run: ${stopped}`, notRun: stopped } : { ...base, status: 'error', reason: 'the workload did not run' };
}

/** A workload's result before anything ran: zeros, status pass. */
export function emptyWorkloadResult(w: PlannedWorkload): WorkloadResult {
  return {
    name: w.name,
    description: w.description,
    hidden: w.hidden,
    weight: w.weight,
    status: 'pass',
    ops: 0,
    utilization: 0,
    peakPayload: 0,
    peakHeap: 0,
    throughput: 0,
    utilScore: 0,
    speedScore: 0,
    violations: [],
  };
}

function statusOf(checks: readonly CheckResult[], workloads: readonly WorkloadResult[], stopped: string | undefined): Status {
  // A run that did not finish is the student's failure, whatever it had earned.
  if (stopped !== undefined) return 'fail';
  const all = [...checks.map((c) => c.status), ...workloads.map((w) => w.status)];
  return all.includes('error') ? 'error' : all.includes('fail') ? 'fail' : 'pass';
}

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;

