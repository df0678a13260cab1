/**
 * From measurements to points. Per workload: a utilization score and a speed
 * score (each 0..1, linear between the configuration's thresholds) and their
 * blend by `utilWeight`. Performance: the weighted mean of the workload
 * scores, times the performance points. Correctness: the share of check
 * points earned, times the correctness points.
 *
 * Why per-workload scores are averaged (rather than thresholds applied to a
 * mean utilization, as mdriver does): a workload with a violation scores 0
 * for itself and only itself, and every workload's contribution to the total
 * can be read off the report.
 */
import type { CheckResult } from '../report/types.ts';
import { linearScore, type Range } from './thresholds.ts';

/** What the score depends on: the points, the thresholds and the blend (a resolved configuration has them all). */
export interface ScoreRules {
  /** Points out of 100: correctness checks vs performance (utilization + speed). They sum to 100. */
  score: { correctness: number; performance: number };
  /** Points per correctness check, by check name; checks not named keep their built-in points. */
  checks: Record<string, number>;
  /** Utilization threshold (peak live payload / peak heap extent). */
  utilization: Range;
  /** Throughput threshold, as a fraction of the reference allocator's speed. */
  throughput: Range;
  /** Share of the performance points that utilization gives (the rest is speed). */
  utilWeight: number;
}

export interface WorkloadMeasure {
  weight: number;
  /** Skipped workloads (beyond the heap limit, say) count for nothing either way. */
  skipped: boolean;
  /** A violation makes the workload score 0. */
  violated: boolean;
  utilization: number;
  /** Speed relative to the reference (1 = as fast). */
  throughput: number;
}

export interface WorkloadScore {
  utilScore: number;
  speedScore: number;
  /** utilWeight * utilScore + (1 - utilWeight) * speedScore */
  score: number;
}

export function scoreWorkload(m: WorkloadMeasure, config: ScoreRules): WorkloadScore {
  if (m.violated || m.skipped) return { utilScore: 0, speedScore: 0, score: 0 };
  const utilScore = linearScore(m.utilization, config.utilization);
  const speedScore = linearScore(m.throughput, config.throughput);
  return { utilScore, speedScore, score: config.utilWeight * utilScore + (1 - config.utilWeight) * speedScore };
}

export interface PerformancePoints {
  /** Points from utilization, 0..performance * utilWeight. */
  utilization: number;
  /** Points from speed, 0..performance * (1 - utilWeight). */
  throughput: number;
}

/** Weighted mean of the workload scores, in points. No counted workload: no performance points. */
export function performancePoints(workloads: readonly WorkloadMeasure[], config: ScoreRules): PerformancePoints {
  let weight = 0;
  let util = 0;
  let speed = 0;
  for (const m of workloads) {
    if (m.skipped || m.weight <= 0) continue;
    const s = scoreWorkload(m, config);
    weight += m.weight;
    util += m.weight * s.utilScore;
    speed += m.weight * s.speedScore;
  }
  if (weight === 0) return { utilization: 0, throughput: 0 };
  const perf = config.score.performance;
  return {
    utilization: (perf * config.utilWeight * util) / weight,
    throughput: (perf * (1 - config.utilWeight) * speed) / weight,
  };
}

/**
 * Re-weighs check results by the configuration's `checks` points: a check
 * named there is worth that many points, earned in the same proportion as
 * before (all of them for a pass).
 */
export function applyCheckPoints(checks: readonly CheckResult[], config: ScoreRules): CheckResult[] {
  return checks.map((c) => {
    const max = config.checks[c.name];
    if (max === undefined) return c;
    const share = c.maxPoints > 0 ? c.points / c.maxPoints : c.status === 'pass' ? 1 : 0;
    return { ...c, maxPoints: max, points: max * share };
  });
}

export function correctnessPoints(checks: readonly CheckResult[], config: ScoreRules): { points: number; maxPoints: number; scaled: number } {
  const points = checks.reduce((s, c) => s + c.points, 0);
  const maxPoints = checks.reduce((s, c) => s + c.maxPoints, 0);
  const scaled = maxPoints > 0 ? (config.score.correctness * points) / maxPoints : 0;
  return { points, maxPoints, scaled };
}

/** The total out of 100, rounded to hundredths so that reports and JSON agree. */
export function totalScore(correctness: number, perf: PerformancePoints): number {
  return round2(correctness + perf.utilization + perf.throughput);
}

export const round2 = (x: number): number => Math.round(x * 100) / 100;
