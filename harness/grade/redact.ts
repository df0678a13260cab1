/**
 * What a student may see of hidden workloads: that they exist, their weight,
 * status and scores (so the total adds up), but not their names, traces or
 * the details of a violation (which would give the trace away).
 */
import type { GradeReport, StudentGradeReport, WorkloadResult } from '../report/types.ts';
import { visibleFigures } from '../report/visible.ts';

export function redactHidden(report: GradeReport): GradeReport {
  let n = 0;
  const workloads = report.workloads.map((w): WorkloadResult => {
    if (!w.hidden) return w;
    n++;
    const { offHeap: _tables, ...rest } = w;
    return {
      ...rest,
      name: `hidden-${n}`,
      description: 'a hidden workload (details are shown when grades are published)',
      violations: w.violations.map((v) => ({ kind: v.kind, op: -1, message: `${v.kind} (details hidden)` })),
    };
  });
  return { ...report, workloads };
}

/**
 * What of a grade may be handed to the student before grades are published
 * (batch `students/`: its JSON, text and HTML): the hidden workloads left out
 * whole (names, calls, violations and numbers: a utilization can encode the
 * trace, a number at a time), and how many there were; every figure they
 * enter withheld (the total, the performance points, the run's duration),
 * and in their place the figures Gradescope shows before publication
 * (visibleFigures: correctness, the visible workloads' means). A hidden
 * workload's name is also taken out of the report's error (stopped during
 * it, say). A grade without hidden workloads is handed over whole.
 */
export function withoutHidden(report: GradeReport): GradeReport | StudentGradeReport {
  const hidden = report.workloads.filter((w) => w.hidden);
  if (hidden.length === 0) return report;
  const scrub = hiddenNameScrubber(report);
  const { score: _score, breakdown: _breakdown, durationMs: _duration, kind: _kind, ...rest } = report;
  return {
    ...rest,
    kind: 'grade-visible',
    ...(report.error === undefined ? {} : { error: scrub(report.error) }),
    workloads: report.workloads.filter((w) => !w.hidden),
    hiddenWorkloads: hidden.length,
    visible: visibleFigures(report),
  };
}

/** Replaces each hidden workload's name in a text with `hidden-N`. */
export function hiddenNameScrubber(report: GradeReport): (text: string) => string {
  const names = report.workloads.filter((w) => w.hidden && w.name.length > 0).map((w) => w.name);
  return (text) => names.reduce((t, n, i) => t.split(n).join(`hidden-${i + 1}`), text);
}
