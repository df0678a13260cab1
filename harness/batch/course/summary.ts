/**
 * The course summary: everything the course page shows, as one plain object
 * computed from a batch's journal entries only (the same rows as
 * gradebook.csv). No HTML here: page.ts formats it, and the numbers it holds
 * are the ones the gradebook already has (a reporter never re-scores).
 */
import { gradebookRow } from '../gradebook.ts';
import type { JournalEntry } from '../journal.ts';
import { describeProtections } from '../../sandbox/protections.ts';
import { cleanLine } from '../../report/sanitize.ts';
import { isGradeReport, type Status } from '../../report/types.ts';
import { scoreDistribution, type Distribution } from './distribution.ts';
import { groupByReason, loadFailureReason, type ReasonGroup } from './load-failures.ts';
import { summarizeChecks, type CheckSummary } from './mistakes.ts';

export interface StudentRow {
  id: string;
  status: Status;
  outcome: string;
  /** Absent for a kit error (never a zero). */
  total?: number;
  correctness?: number;
  utilization?: number;
  throughput?: number;
  detail: string;
}

export interface WorkloadPoint {
  id: string;
  utilization: number;
  /** Speed relative to the reference allocator (1 = as fast). */
  throughput: number;
  status: string;
}

export interface WorkloadSummary {
  name: string;
  hidden: boolean;
  /** One per student that ran it to the end (not skipped, not stopped before it). */
  points: WorkloadPoint[];
}

export interface CourseSummary {
  /** `grade` or `test` (tests-only batches have no workloads). */
  mode: string;
  students: StudentRow[];
  counts: Record<Status, number>;
  distribution: Distribution;
  checks: CheckSummary[];
  workloads: WorkloadSummary[];
  /** Outcome `load-failed`, grouped by their first error line (with the profiles `auto` picked for them). */
  notLoaded: ReasonGroup[];
  /** With `profile: auto`: the students per profile it picked (the reason is the profile's name). */
  autoProfiles: ReasonGroup[];
  /** Stopped by a limit or the kit's rules (timeout, crashed, tampered, ...), grouped by outcome. */
  notFinished: ReasonGroup[];
  kitErrors: { id: string; detail: string }[];
  /** Submissions grouped by the protections their child ran with (one group when all were the same); those that never started a child are in none. */
  protections: ReasonGroup[];
}

export interface SummaryOptions {
  /** The batch mode (from the journal header or batch.json). @default 'grade' */
  mode?: string;
  /** A pass line on the histogram; @default the lowest total of a passing submission */
  passLine?: number;
}

const FINISHED = new Set(['graded', 'load-failed', 'kit-error']);

export function courseSummary(entries: readonly JournalEntry[], options: SummaryOptions = {}): CourseSummary {
  const mode = options.mode ?? 'grade';
  const students: StudentRow[] = [];
  const counts: Record<Status, number> = { pass: 0, fail: 0, error: 0 };
  const workloads = new Map<string, WorkloadSummary>();
  const notLoaded: { id: string; reason: string; profile?: string }[] = [];
  const notFinished: { id: string; reason: string }[] = [];
  const kitErrors: { id: string; detail: string }[] = [];
  const protections: { id: string; reason: string }[] = [];
  const autoProfiles: { id: string; reason: string }[] = [];
  let maxPoints = 0;
  for (const e of entries) {
    const r = e.result;
    const row = gradebookRow(e);
    students.push({
      id: e.id,
      status: r.status,
      outcome: r.outcome,
      detail: row.detail,
      ...(row.total !== undefined && { total: row.total }),
      ...(row.correctness !== undefined && { correctness: row.correctness }),
      ...(row.utilization !== undefined && { utilization: row.utilization }),
      ...(row.throughput !== undefined && { throughput: row.throughput }),
    });
    counts[r.status]++;
    // A submission that never ran (a compile error found before its child started) ran with no protections to compare.
    if (r.protections) protections.push({ id: e.id, reason: cleanLine(describeProtections(r.protections)) });
    // The plan says which profile `auto` picked (decided once, in the parent).
    const picked = r.plan?.detection?.profile;
    if (picked !== undefined) autoProfiles.push({ id: e.id, reason: cleanLine(picked) });
    if (r.status === 'error') kitErrors.push({ id: e.id, detail: row.detail });
    else if (r.outcome === 'load-failed') notLoaded.push({ id: e.id, reason: loadFailureReason(r.report?.error ?? r.detail, r.spec), ...(picked !== undefined && { profile: cleanLine(picked) }) });
    else if (!FINISHED.has(r.outcome)) notFinished.push({ id: e.id, reason: r.outcome });
    const report = r.report;
    if (report && !isGradeReport(report)) maxPoints = Math.max(maxPoints, report.checks.reduce((s, c) => s + c.maxPoints, 0));
    if (isGradeReport(report) && r.status !== 'error') {
      for (const w of report.workloads) {
        let ws = workloads.get(w.name);
        if (!ws) workloads.set(w.name, (ws = { name: w.name, hidden: false, points: [] }));
        ws.hidden ||= w.hidden;
        if (w.status === 'skipped' || w.status === 'error' || w.notRun !== undefined) continue;
        ws.points.push({ id: e.id, utilization: w.utilization, throughput: w.throughput, status: w.status });
      }
    }
  }
  const checks = summarizeChecks(entries.filter((e) => e.result.status !== 'error').map((e) => ({ id: e.id, checks: e.result.report?.checks ?? [] })));
  const max = mode === 'grade' ? 100 : Math.max(1, maxPoints);
  return {
    mode,
    students,
    counts,
    distribution: scoreDistribution(students, max, options.passLine),
    checks,
    workloads: [...workloads.values()],
    notLoaded: groupByReason(notLoaded),
    autoProfiles: groupByReason(autoProfiles),
    notFinished: groupByReason(notFinished),
    kitErrors,
    protections: groupByReason(protections),
  };
}
