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

export const round2 = (x: number): number => Math.round(x * 100) / 100;
