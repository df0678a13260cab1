/**
 * What of a journal entry may be handed to the student it grades, before
 * grades are published: everything but the hidden workloads. Their names,
 * descriptions, calls, violations and numbers (a utilization can encode the
 * trace, a number at a time) are left out, as are the grading plan (the TA's
 * rules, which name them) and what the allocator printed
 * (it ran the hidden traces too); the student's file says how many hidden
 * workloads there were. The TA's full record is written apart, under
 * `staff/` (outputs.ts).
 */
import { hiddenNameScrubber, withoutHidden } from '../grade/redact.ts';
import { isGradeReport, type StudentGradeReport, type TestReport, type GradeReport } from '../report/types.ts';
import type { IsolatedResult } from '../isolation/run-isolated.ts';
import type { JournalEntry } from './journal.ts';

/**
 * A per-student file's content: a journal entry (the TA's full record, or a
 * grade without hidden workloads), or a student's copy with hidden workloads,
 * whose report is a StudentGradeReport and whose run figures (time, CPU,
 * memory: the hidden workloads ran in them) are withheld.
 */
export interface StudentEntry {
  id: string;
  finishedAt: string;
  result: Omit<IsolatedResult, 'report' | 'durationMs' | 'peakRssMb' | 'compileMs' | 'cpuMs'> &
    Partial<Pick<IsolatedResult, 'durationMs' | 'peakRssMb' | 'compileMs' | 'cpuMs'>> & { report?: TestReport | GradeReport | StudentGradeReport };
}

export const HIDDEN_OUTPUT = '(what your allocator printed is not shown: this grade includes hidden workloads)';

export function studentView(entry: JournalEntry): StudentEntry {
  const report = entry.result.report;
  if (!isGradeReport(report)) return entry;
  if (!report.workloads.some((w) => w.hidden)) return entry;
  // A hidden workload's name can appear in what the kit said about the run (stopped during it, say).
  const scrub = hiddenNameScrubber(report);
  // The plan is the TA's: it names every workload, hidden ones and their trace files included.
  // The run's time, CPU and memory include the hidden workloads' (a submission can encode a hidden trace in them).
  const { plan: _plan, durationMs: _d, peakRssMb: _m, compileMs: _c, cpuMs: _u, ...result } = entry.result;
  return {
    ...entry,
    result: {
      ...result,
      detail: scrub(result.detail),
      stdout: result.stdout.trim() ? HIDDEN_OUTPUT : '',
      stderr: '',
      report: withoutHidden(report),
    },
  };
}
