/** `heapgrade diff` as text: one line per student who moved, then what caused it; every id cleaned for the terminal. */
import { cleanLine } from '../../report/sanitize.ts';
import type { Cause, CourseDiff, Standing, StudentChange } from './diff.ts';

export function formatStanding(s: Standing): string {
  return s.total === undefined ? `${s.status} (${s.outcome})` : `${s.status} ${s.total.toFixed(2)}`;
}

export function formatDelta(c: StudentChange): string {
  return c.delta === undefined ? '' : `${c.delta >= 0 ? '+' : ''}${c.delta.toFixed(2)}`;
}

export function formatCause(c: Cause): string {
  if (c.kind === 'workload') return `workload ${c.name}: ${c.changes.join(', ')}`;
  const side = (s: { points: number; status: string } | undefined): string => (s ? `${s.points} (${s.status})` : 'absent');
  return `check ${c.name}: ${side(c.old)} → ${side(c.new)}`;
}

export function formatDiffText(d: CourseDiff, labels: { old: string; new: string }): string {
  const out: string[] = [];
  const up = d.changed.filter((c) => (c.delta ?? 0) > 0).length;
  const down = d.changed.filter((c) => (c.delta ?? 0) < 0).length;
  out.push(`${cleanLine(labels.old)} → ${cleanLine(labels.new)}`);
  out.push(`${d.changed.length} of ${d.compared} students moved (${up} up, ${down} down, ${d.changed.length - up - down} status only); ${d.added.length} added, ${d.removed.length} removed`);
  const width = Math.min(40, Math.max(0, ...d.changed.map((c) => cleanLine(c.id).length)));
  for (const c of d.changed) {
    out.push(`  ${cleanLine(c.id).padEnd(width)}  ${formatStanding(c.old)} → ${formatStanding(c.new)}${c.delta === undefined ? '' : `  (${formatDelta(c)})`}`);
    for (const cause of c.causes) out.push(`  ${' '.repeat(width)}    ${cleanLine(formatCause(cause))}`);
  }
  if (d.added.length) out.push(`added: ${d.added.map(cleanLine).join(', ')}`);
  if (d.removed.length) out.push(`removed: ${d.removed.map(cleanLine).join(', ')}`);
  return `${out.join('\n')}\n`;
}
