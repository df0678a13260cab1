/**
 * What a student may see of hidden workloads: that they exist, their weight,
 * status and scores (so the total adds up), but not their names, traces or
 * the details of a violation (which would give the trace away).
 */
import type { GradeReport, WorkloadResult } from '../report/types.ts';

export function redactHidden(report: GradeReport): GradeReport {
  let n = 0;
  const workloads = report.workloads.map((w): WorkloadResult => {
    if (!w.hidden) return w;
    n++;
    return {
      ...w,
      name: `hidden-${n}`,
      description: 'a hidden workload (details are shown when grades are published)',
      violations: w.violations.map((v) => ({ kind: v.kind, op: -1, message: `${v.kind} (details hidden)` })),
    };
  });
  return { ...report, workloads };
}
