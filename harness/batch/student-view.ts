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
import { isGradeReport } from '../report/types.ts';
import type { JournalEntry } from './journal.ts';

export const HIDDEN_OUTPUT = '(what your allocator printed is not shown: this grade includes hidden workloads)';

export function studentView(entry: JournalEntry): JournalEntry {
  const report = entry.result.report;
  if (!isGradeReport(report)) return entry;
  if (!report.workloads.some((w) => w.hidden)) return entry;
  // A hidden workload's name can appear in what the kit said about the run (stopped during it, say).
  const scrub = hiddenNameScrubber(report);
  // The plan is the TA's: it names every workload, hidden ones and their trace files included.
  const { plan: _plan, ...result } = entry.result;
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
