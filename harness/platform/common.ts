/**
 * What every platform writer shares: one result shape in (a TestReport or
 * GradeReport; an isolated run that never produced one becomes a report with
 * `error` and no checks), plain text about a check or workload out.
 */
import type { IsolatedResult } from '../isolation/run-isolated.ts';
import { RULES } from '../report/violation-text.ts';
import { RESULT_VERSION, type CheckResult, type GradeReport, type TestReport, type WorkloadResult } from '../report/types.ts';
import { isGradeReport } from '../report/types.ts';
import { earned } from '../report/earned.ts';

export type PlatformReport = TestReport | GradeReport;

export { isGradeReport };

/** The report of an isolated run; when the run never produced one (crash, timeout, ...), one that says why. */
export function reportFromIsolated(result: IsolatedResult): PlatformReport {
  if (result.report) return result.report;
  return {
    version: RESULT_VERSION,
    kind: 'test',
    submission: result.spec,
    status: result.status,
    checks: [],
    error: result.detail,
    durationMs: result.durationMs,
  };
}

/** Points earned and possible: the 0..100 score for a grade, check points for a test run. */
export function totals(r: PlatformReport): { score: number; max: number } {
  const e = earned(r);
  return { score: isGradeReport(r) && r.status === 'error' ? 0 : e.points, max: e.maxPoints };
}

/** A check's failure as plain text lines: rule, what happened, hint, replay, kit error. */
export function checkDetails(c: CheckResult): string[] {
  const lines: string[] = [];
  if (c.error) lines.push(`The grading kit failed on this check (not your allocator's fault): ${c.error}`);
  for (const v of c.violations) {
    lines.push(`${v.kind}: ${RULES[v.kind] ?? v.kind}`);
    lines.push(`  at operation ${v.op}${v.call ? ` (${v.call})` : ''}: ${v.message}`);
    if (v.hint) lines.push(`  hint: ${v.hint}`);
  }
  if (c.replay) lines.push(`replay: ${c.replay}`);
  return lines;
}

export function workloadDetails(w: WorkloadResult): string[] {
  const lines = [
    w.description,
    `utilization ${(w.utilization * 100).toFixed(1)}% (peak payload ${w.peakPayload} B / peak heap ${w.peakHeap} B), throughput ${w.throughput.toFixed(2)}x the reference`,
  ];
  if (w.reason) lines.push(w.reason);
  for (const v of w.violations) lines.push(`${v.kind} at operation ${v.op}: ${v.message}`);
  return lines;
}

/** Points a workload is worth and earned, out of the performance points, by its weight. */
export function workloadPoints(
  r: GradeReport,
  w: WorkloadResult,
  weights: { performance: number; utilWeight: number },
): { score: number; max: number; exactMax: number } | undefined {
  const counted = r.workloads.filter((x) => x.status !== 'skipped' && x.weight > 0);
  const total = counted.reduce((s, x) => s + x.weight, 0);
  if (w.status === 'skipped' || w.weight <= 0 || total === 0) return undefined;
  const max = (weights.performance * w.weight) / total;
  const blend = weights.utilWeight * w.utilScore + (1 - weights.utilWeight) * w.speedScore;
  return { score: round2(max * blend), max: round2(max), exactMax: max };
}

export const round2 = (x: number): number => Math.round(x * 100) / 100;

/**
 * Rounds each value to `digits` decimals so that the rounded values add up
 * to the rounded sum of the exact ones (largest remainder): three checks of
 * 100/3 points become 33.34 + 33.33 + 33.33, not 33.33 * 3 = 99.99.
 */
export function apportion(values: readonly number[], digits: number): number[] {
  const unit = 10 ** digits;
  const scaled = values.map((v) => v * unit);
  const floors = scaled.map((v) => Math.floor(v + 1e-9));
  let missing = Math.round(scaled.reduce((s, v) => s + v, 0)) - floors.reduce((s, v) => s + v, 0);
  const order = scaled.map((v, i) => ({ i, rest: v - floors[i]! })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (missing <= 0) break;
    floors[i]!++;
    missing--;
  }
  return floors.map((f) => f / unit);
}


