/**
 * gradebook.csv: one row per submission. Fixed columns first (id, status,
 * outcome, total, correctness, utilization, throughput), then one column per
 * check (points) and two per workload (utilization, throughput), in the
 * order they first appear, then the one-line detail. Status is always
 * pass | fail | error; an error row leaves the scores empty rather than 0,
 * so a kit failure is never read as a student's zero.
 */
import { isGradeReport } from '../report/types.ts';
import type { JournalEntry } from './journal.ts';
import { cleanLine } from '../report/sanitize.ts';
import { csvRow } from './csv.ts';
import { earned } from '../report/earned.ts';

export interface GradebookRow {
  id: string;
  status: string;
  outcome: string;
  total?: number;
  correctness?: number;
  utilization?: number;
  throughput?: number;
  checks: Map<string, number>;
  workloads: Map<string, { utilization: number; throughput: number }>;
  detail: string;
  /** What confined the child, compactly (osSandbox/user/memory limit/pids/network). */
  protections: string;
}

const isGrade = isGradeReport;

export function gradebookRow(entry: JournalEntry): GradebookRow {
  const { result } = entry;
  const report = result.report;
  const checks = new Map<string, number>();
  for (const c of report?.checks ?? []) checks.set(c.name, c.points);
  const workloads = new Map<string, { utilization: number; throughput: number }>();
  // One line per row: spreadsheets cope with quoted line breaks, people scanning the file less so.
  const detail = cleanLine(result.detail);
  const p = result.protections;
  // One name per protection: the memory and process limits share one cgroup (`cgroup-v1`, not `cgroup-v1 cgroup-v1`).
  const limits = p && p.memoryLimit === p.pids ? p.memoryLimit : p ? `memory-${p.memoryLimit} pids-${p.pids}` : '';
  const protections = p ? [p.osSandbox, p.user, limits, `network-${p.network}`].join(' ') : '';
  const row: GradebookRow = { id: entry.id, status: result.status, outcome: result.outcome, checks, workloads, detail, protections };
  if (result.status === 'error') return row;
  if (isGrade(report)) {
    for (const w of report.workloads) workloads.set(w.name, { utilization: w.utilization, throughput: w.throughput });
    row.total = report.score;
    row.correctness = report.breakdown.correctness;
    row.utilization = report.breakdown.utilization;
    row.throughput = report.breakdown.throughput;
  } else {
    const points = report ? earned(report).points : 0;
    row.total = points;
    row.correctness = points;
  }
  return row;
}

export function gradebookCsv(entries: readonly JournalEntry[]): string {
  const rows = entries.map(gradebookRow);
  const checkNames: string[] = [];
  const workloadNames: string[] = [];
  for (const r of rows) {
    for (const name of r.checks.keys()) if (!checkNames.includes(name)) checkNames.push(name);
    for (const name of r.workloads.keys()) if (!workloadNames.includes(name)) workloadNames.push(name);
  }
  const header = [
    'id', 'status', 'outcome', 'total', 'correctness', 'utilization', 'throughput',
    ...checkNames.map((n) => `check:${n}`),
    ...workloadNames.flatMap((n) => [`util:${n}`, `throughput:${n}`]),
    'detail',
    'protections',
  ];
  const lines = [csvRow(header)];
  for (const r of rows) {
    const noScores = r.status === 'error';
    lines.push(
      csvRow([
        r.id, r.status, r.outcome, r.total, r.correctness, r.utilization, r.throughput,
        ...checkNames.map((n) => (noScores ? undefined : (r.checks.get(n) ?? 0))),
        ...workloadNames.flatMap((n) => {
          const w = r.workloads.get(n);
          return [w?.utilization, w?.throughput];
        }),
        r.detail,
        r.protections,
      ]),
    );
  }
  return `${lines.join('\n')}\n`;
}
