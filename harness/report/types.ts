/**
 * The result data every front end and reporter shares. The `--json` fields
 * named in DESIGN.md are stable; `version` changes only when one of them does.
 */
import type { Violation, ViolationKind } from '../checker/violation.ts';
import type { HeapSnapshot } from '../heap-map/types.ts';
import type { OffHeapFinding } from '../contract/instance.ts';

export const RESULT_VERSION = 1;

/** pass/fail is the student's; error is the kit's own failure. */
export type Status = 'pass' | 'fail' | 'error';

export interface CheckResult {
  name: string;
  /** One sentence: what the check exercises. */
  description: string;
  points: number;
  maxPoints: number;
  status: Status;
  violations: Violation[];
  /** Operations the check ran (0 for checks that are not traces). */
  ops: number;
  durationMs: number;
  /** Seed and a command that replays the failure, when it failed. */
  seed?: number;
  replay?: string;
  /** Path of the saved minimal .rep that reproduces the failure. */
  reproFile?: string;
  /** What the submission printed (C printf), capped. */
  output?: string;
  /** `output` is what the allocator printed while the failure's repro was replayed (its addresses match the repro). */
  outputOfRepro?: true;
  /** The kit's error, when status is 'error'. */
  error?: string;
  /** For a failure: the live blocks and heap bounds at the violation (heap maps). */
  snapshot?: HeapSnapshot;
  /** Set when the check never ran (the run was stopped before it): why. Such a check earns 0. */
  notRun?: string;
  /**
   * Set (false) when the course profile's handout does not require this
   * check: it still runs, is worth 0 points and never fails (`status` is
   * 'pass'); what happened is in `observed` and `violations`.
   */
  required?: false;
  /** Same as `required: false`, for reporters: print it as "beyond the handout". */
  beyondHandout?: true;
  /** For a check beyond the handout: what it found. */
  observed?: Status;
  /** For a check beyond the handout: why the handout does not require it. */
  beyondReason?: string;
  /** The property search that found nothing: random traces tried, metered steps spent, and what stopped it. */
  search?: { runs: number; steps: number; stoppedBy: 'runs' | 'steps' | 'clock' };
  /**
   * The check stopped at the same bug as another check, which carries the
   * full report (one bug, one report: harness/report/one-charge.ts): its
   * status and points are its own; this names that check, the kind and
   * where it stopped.
   */
  see?: { check: string; kind: ViolationKind; op: number };
  /** The first complaint of the allocator's own check() under --check-heap (informative; gathered once per run into `TestReport.heapCheck`). */
  heapCheck?: Violation;
  /** TypeScript: an instance of this check kept tables outside the heap beyond the allowance (report/off-heap-findings.ts makes it the off-heap-metadata verdict). */
  offHeap?: OffHeapFinding;
}

export interface TestReport {
  version: number;
  /** Which run made it: `heapgrade test` (checks only) or `heapgrade grade` (a GradeReport). */
  kind: 'test' | 'grade';
  submission: string;
  status: Status;
  checks: CheckResult[];
  /** A load or compile failure (status 'fail'), or the kit's error (status 'error'). */
  error?: string;
  /** What loading said besides: the C compiler's warnings, as it printed them (`file:line:col: warning: ...` and the caret lines). */
  notes?: string[];
  /** What the allocator's own check() said under --check-heap: informative, no points lost, once for the run. */
  heapCheck?: { check: string; violation: Violation; checks: string[] };
  durationMs: number;
}

export interface WorkloadResult {
  name: string;
  description: string;
  /** Hidden from students until grades are published. */
  hidden: boolean;
  weight: number;
  status: Status | 'skipped';
  ops: number;
  /** peak live payload / peak heap extent, 0..1. */
  utilization: number;
  peakPayload: number;
  peakHeap: number;
  /** Operations per second relative to the reference allocator (1 = as fast). */
  throughput: number;
  /** Metered cost per operation (C: wasm instructions; TypeScript: steps, heap work included), from the checked run. */
  costPerOp?: number;
  /** Metered speed relative to the reference (reference cost / submission cost), when measured. */
  costRatio?: number;
  /** Wall-clock speed relative to the reference, when `"speed": "wallclock"` measured it (machine-dependent). */
  wallclockRatio?: number;
  utilScore: number;
  speedScore: number;
  violations: Violation[];
  reason?: string;
  /** Set when the workload never ran (the run was stopped before it): why. */
  notRun?: string;
  /** TypeScript: the workload's instance kept tables outside the heap beyond the allowance (staff data: a hidden workload's is redacted). */
  offHeap?: OffHeapFinding;
  /** What the profile's trace reading tolerated in the workload's file (a missing size kept, lines past the count ignored): one line per kind, naming the file and line. */
  traceWarnings?: string[];
}

export interface GradeReport extends TestReport {
  kind: 'grade';
  /** 0..100 */
  score: number;
  correctness: { points: number; maxPoints: number };
  workloads: WorkloadResult[];
  /** The allocator speed was measured against (ref:reference, ref:reference-c, or --vs). */
  speedReference?: string;
  /** Points out of 100 from correctness, utilization and speed. */
  breakdown: { correctness: number; utilization: number; throughput: number };
}

/** What a student may see of a grade before publication when hidden workloads count in it (report/visible.ts). */
export interface VisibleFigures {
  /** Correctness points, as in the breakdown. */
  correctness: number;
  /** Weighted mean utilization (0..1) of the visible workloads that count (weight > 0, not skipped). */
  utilization: number;
  /** Weighted mean throughput (x reference) of the same workloads. */
  throughput: number;
  /** How many visible workloads the means are over. */
  workloads: number;
}

/**
 * A student's copy of a grade that hidden workloads count in, before grades
 * are published (batch students/, the student's HTML page): the hidden
 * workloads left out, and every figure they enter (the total, the
 * performance points, the run's time) withheld; what remains to show is
 * `visible` (report/visible.ts, as Gradescope shows it).
 */
export interface StudentGradeReport extends Omit<GradeReport, 'kind' | 'score' | 'breakdown' | 'durationMs'> {
  kind: 'grade-visible';
  /** How many hidden workloads were left out of `workloads`. */
  hiddenWorkloads: number;
  visible: VisibleFigures;
}

/** What a student's copy says of the hidden workloads left out of it (`hiddenWorkloads`), in text and HTML alike. */
export function hiddenWorkloadsNote(n: number): string {
  return `Hidden workloads: ${n} (counted in the score; their results are shown when grades are published)`;
}

/** A grade's report, told by its `kind`, never by its shape. */
export function isGradeReport(r: TestReport | GradeReport | StudentGradeReport | undefined): r is GradeReport {
  return r?.kind === 'grade';
}

/** A student's copy of a grade with hidden workloads (StudentGradeReport). */
export function isStudentGrade(r: TestReport | GradeReport | StudentGradeReport | undefined): r is StudentGradeReport {
  return r?.kind === 'grade-visible';
}

/** What the workers are doing, for a progress line: plain data, the reporter words it. */
export interface RunProgress {
  /** No worker has loaded the submission yet (a C first run compiles here). */
  loading: boolean;
  /** Checks in flight: `op` is the call reached (or, in off-heap-metadata, the live blocks), `ops` the calls in the check's trace (0 when it has none). */
  running: { name: string; op: number; ops: number; shrinking: boolean }[];
  done: number;
  total: number;
  /** The compiler runs (a C file not in the compile cache): the file, the compiler's id, and whether the compile cache did not exist yet (the first run on this machine). */
  compiling?: { file: string; compiler: string; firstRun: boolean };
}
