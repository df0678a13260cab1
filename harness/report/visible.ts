/**
 * What of a grade a student may see before grades are published when hidden
 * workloads count in it: the one rule, used by Gradescope's visible output
 * and leaderboard and by a batch's students/ files alike. Correctness points
 * (the checks run no hidden workload), and the visible workloads' weighted
 * utilization and throughput; never the total, the performance points, or a
 * mean that a hidden workload's number enters (an allocator can encode its
 * hidden trace in its utilization there, a number at a time). One bit of a
 * hidden workload does reach correctness: off-heap-metadata fails when a
 * hidden workload's calls made tables outside the heap, and says only that
 * (report/off-heap-findings.ts).
 */
import type { GradeReport, VisibleFigures, WorkloadResult } from './types.ts';

export function visibleFigures(report: Pick<GradeReport, 'breakdown' | 'workloads'>): VisibleFigures {
  const counted = report.workloads.filter((w) => w.status !== 'skipped' && w.weight > 0 && !w.hidden);
  const weight = counted.reduce((s, w) => s + w.weight, 0) || 1;
  const mean = (f: (w: WorkloadResult) => number): number => counted.reduce((s, w) => s + w.weight * f(w), 0) / weight;
  return { correctness: report.breakdown.correctness, utilization: mean((w) => w.utilization), throughput: mean((w) => w.throughput), workloads: counted.length };
}

/** The visible figures in one line, for a student's text and page (hidden workloads counted in the grade). */
export function visibleSummary(v: VisibleFigures, hiddenWorkloads: number): string {
  const means = v.workloads > 0 ? `; the ${v.workloads} visible workload${v.workloads === 1 ? '' : 's'}: utilization ${(v.utilization * 100).toFixed(1)}%, throughput ${v.throughput.toFixed(2)}x` : '';
  return (
    `Correctness ${v.correctness.toFixed(1)} points${means}. ` +
    `The total, the performance points and the run's time include the ${hiddenWorkloads} hidden workload${hiddenWorkloads === 1 ? '' : 's'} and are shown when grades are published.`
  );
}
