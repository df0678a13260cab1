/**
 * The per-student files of a batch: `<id>.json` (the journal entry: outcome,
 * status, the kit's report, captured output) and `<id>.txt`, the same as a
 * page a TA can read or forward. Everything the submission could influence
 * (its output, messages that quote it) is cleaned of terminal escapes.
 */
import { cleanLine, cleanText } from '../report/sanitize.ts';
import { hiddenWorkloadsNote, isGradeReport, isStudentGrade } from '../report/types.ts';
import { visibleSummary } from '../report/visible.ts';
import { describeProtections } from '../sandbox/protections.ts';
import { capText } from '../util/output-cap.ts';
import type { StudentEntry } from './student-view.ts';
import { earned } from '../report/earned.ts';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const PRINTED_CAP = 4000;

const isGrade = isGradeReport;

export function studentJson(entry: StudentEntry): string {
  return `${JSON.stringify({ version: 1, id: entry.id, finishedAt: entry.finishedAt, ...entry.result }, null, 2)}\n`;
}

export function studentText(entry: StudentEntry): string {
  const { result } = entry;
  const report = result.report;
  const out: string[] = [];
  out.push(`Student: ${cleanLine(entry.id)}`);
  out.push(`Status:  ${result.status}${result.status === 'error' ? ' (the grading kit failed, not the submission: re-run or report it)' : ''}`);
  // A compiler's message is many lines (its caret under the column): the first here, all of them below.
  const detailLines = cleanText(result.detail).split('\n');
  out.push(`Outcome: ${result.outcome} — ${cleanLine(detailLines[0] ?? '')}`);
  if (isGrade(report)) {
    const b = report.breakdown;
    out.push(`Score:   ${report.score.toFixed(1)} / 100  (correctness ${b.correctness.toFixed(1)}, utilization ${b.utilization.toFixed(1)}, throughput ${b.throughput.toFixed(1)})`);
  } else if (isStudentGrade(report)) {
    out.push(`Score:   ${visibleSummary(report.visible, report.hiddenWorkloads)}`);
  } else if (report && result.status !== 'error') {
    const { points, maxPoints } = earned(report);
    out.push(`Points:  ${points} / ${maxPoints}`);
  }
  const cpu = result.cpuMs === undefined ? '' : ` (CPU ${(result.cpuMs / 1000).toFixed(1)} s)`;
  if (result.durationMs !== undefined) out.push(`Time:    ${(result.durationMs / 1000).toFixed(1)} s${cpu}, peak memory ${result.peakRssMb} MB`);
  if (result.protections) out.push(`Ran with ${describeProtections(result.protections)}`);
  if (result.partial) out.push('Stopped before the end: the results below were recorded as each check and workload completed; the rest are marked not run.');
  if (report?.error) out.push('', 'Error:', indent(report.error));
  else if (detailLines.length > 1) out.push('', 'Error:', indent(result.detail));
  if (report?.checks.length) {
    out.push('', 'Correctness checks:');
    const width = Math.max(...report.checks.map((c) => c.name.length));
    for (const c of report.checks) {
      out.push(`  ${(c.notRun ? 'n/r' : c.status).padEnd(5)} ${c.name.padEnd(width)}  ${c.points}/${c.maxPoints}${c.notRun ? `  (not run: ${c.notRun})` : ''}`);
      const v = c.violations[0];
      if (v) out.push(`        ${v.kind}${v.op >= 0 ? ` at op ${v.op}` : ''}: ${cleanLine(v.message)}`);
      if (c.error) out.push(`        kit error: ${cleanLine(c.error)}`);
      if (c.replay) out.push(`        replay: ${c.replay}`);
    }
  }
  const graded = isGrade(report) || isStudentGrade(report) ? report : undefined;
  if (graded?.workloads.length) {
    out.push('', 'Workloads:');
    const width = Math.max(...graded.workloads.map((w) => w.name.length));
    for (const w of graded.workloads) {
      const extra = w.reason ? `  (${w.reason})` : '';
      out.push(`  ${w.status.padEnd(7)} ${w.name.padEnd(width)}  util ${pct(w.utilization).padStart(6)}  throughput ${w.throughput.toFixed(2)}x${w.hidden ? '  [hidden]' : ''}${extra}`);
    }
  }
  if (isStudentGrade(report)) {
    out.push('', hiddenWorkloadsNote(report.hiddenWorkloads));
  }
  // What the allocator printed during a check (C printf): once, from the first failing check that printed, else the first that printed.
  const printed = report?.checks.find((c) => c.status !== 'pass' && c.output?.trim()) ?? report?.checks.find((c) => c.output?.trim());
  if (printed?.output) out.push('', `Output (printed during ${printed.name}):`, indent(capText(printed.output.trimEnd(), PRINTED_CAP)));
  if (result.stdout.trim()) out.push('', 'Output (stdout):', indent(result.stdout.trimEnd()));
  if (result.stderr.trim()) out.push('', 'Output (stderr):', indent(result.stderr.trimEnd()));
  return `${out.join('\n')}\n`;
}

function indent(text: string): string {
  return cleanText(text)
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}
