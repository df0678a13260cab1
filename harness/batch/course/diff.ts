/**
 * What changed between two batch runs of one course (after a new weight, a
 * new trace, a new kit): the students whose status or total moved, by how
 * much, and the checks and workloads whose results differ for them, from the
 * two journals only. Students present in one run only are listed apart.
 */
import { gradebookRow } from '../gradebook.ts';
import type { JournalEntry } from '../journal.ts';
import { isGradeReport, type CheckResult, type Status, type WorkloadResult } from '../../report/types.ts';

/** Totals closer than this are the same total (float sums in another order). */
const SAME = 1e-6;

export interface Standing {
  status: Status;
  outcome: string;
  total?: number;
}

export type Cause =
  | { kind: 'check'; name: string; old?: { points: number; status: string }; new?: { points: number; status: string } }
  | { kind: 'workload'; name: string; changes: string[] };

export interface StudentChange {
  id: string;
  old: Standing;
  new: Standing;
  /** new total - old total, when both have one. */
  delta?: number;
  causes: Cause[];
}

export interface CourseDiff {
  /** Students in both runs. */
  compared: number;
  changed: StudentChange[];
  added: string[];
  removed: string[];
}

export function diffCourses(older: readonly JournalEntry[], newer: readonly JournalEntry[]): CourseDiff {
  const before = new Map(older.map((e) => [e.id, e]));
  const seen = new Set<string>();
  const changed: StudentChange[] = [];
  const added: string[] = [];
  for (const n of newer) {
    const o = before.get(n.id);
    if (!o) {
      added.push(n.id);
      continue;
    }
    seen.add(n.id);
    const a = standing(o);
    const b = standing(n);
    const delta = a.total !== undefined && b.total !== undefined ? b.total - a.total : undefined;
    const moved = a.status !== b.status || (a.total === undefined) !== (b.total === undefined) || (delta !== undefined && Math.abs(delta) > SAME);
    if (!moved) continue;
    changed.push({ id: n.id, old: a, new: b, ...(delta !== undefined && { delta }), causes: causesOf(o, n) });
  }
  const after = new Set(newer.map((e) => e.id));
  const removed = older.filter((e) => !after.has(e.id)).map((e) => e.id);
  // Biggest movers first; status changes without totals (kit errors) after.
  changed.sort((x, y) => Math.abs(y.delta ?? 0) - Math.abs(x.delta ?? 0) || (x.id < y.id ? -1 : 1));
  return { compared: seen.size, changed, added, removed };
}

function standing(e: JournalEntry): Standing {
  const row = gradebookRow(e);
  return { status: e.result.status, outcome: e.result.outcome, ...(row.total !== undefined && { total: row.total }) };
}

function causesOf(o: JournalEntry, n: JournalEntry): Cause[] {
  const causes: Cause[] = [];
  const oc = byName(o.result.report?.checks ?? []);
  const nc = byName(n.result.report?.checks ?? []);
  for (const name of union(oc, nc)) {
    const a = oc.get(name);
    const b = nc.get(name);
    if (a && b && a.points === b.points && a.status === b.status) continue;
    causes.push({ kind: 'check', name, ...(a && { old: { points: a.points, status: a.status } }), ...(b && { new: { points: b.points, status: b.status } }) });
  }
  const ow = byName(isGradeReport(o.result.report) ? o.result.report.workloads : []);
  const nw = byName(isGradeReport(n.result.report) ? n.result.report.workloads : []);
  for (const name of union(ow, nw)) {
    const changes = workloadChanges(ow.get(name), nw.get(name));
    if (changes.length) causes.push({ kind: 'workload', name, changes });
  }
  return causes;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const speed = (x: number): string => `${x.toFixed(2)}x`;

/** What differs in one workload, in words ("weight 1 → 2", "utilization 71.0% → 80.2%"). */
function workloadChanges(a: WorkloadResult | undefined, b: WorkloadResult | undefined): string[] {
  if (!a || !b) return [a ? 'not run any more' : 'new'];
  const out: string[] = [];
  if (a.status !== b.status) out.push(`status ${a.status} → ${b.status}`);
  if (a.weight !== b.weight) out.push(`weight ${a.weight} → ${b.weight}`);
  if (a.hidden !== b.hidden) out.push(b.hidden ? 'now hidden' : 'no longer hidden');
  if (Math.abs(a.utilization - b.utilization) > SAME) out.push(`utilization ${pct(a.utilization)} → ${pct(b.utilization)}`);
  if (Math.abs(a.throughput - b.throughput) > SAME) out.push(`speed ${speed(a.throughput)} → ${speed(b.throughput)}`);
  // The same measurement scored by another threshold.
  if (out.length === 0 && (Math.abs(a.utilScore - b.utilScore) > SAME || Math.abs(a.speedScore - b.speedScore) > SAME)) {
    out.push(`scored ${a.utilScore.toFixed(2)}/${a.speedScore.toFixed(2)} → ${b.utilScore.toFixed(2)}/${b.speedScore.toFixed(2)} (utilization/speed)`);
  }
  return out;
}

function byName<T extends CheckResult | WorkloadResult>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((i) => [i.name, i]));
}

function union(a: Map<string, unknown>, b: Map<string, unknown>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])];
}
