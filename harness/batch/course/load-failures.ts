/**
 * Why submissions did not load or did not finish, grouped so that a TA sees
 * "23 students: error: use of undeclared identifier 'heap_listp'" once
 * rather than 23 times. The key is the first line that says `error:` (a
 * compiler's first error, without its file and position, which differ per
 * student), else the first line of the message with the submission's own
 * path taken out.
 */
import { cleanLine } from '../../report/sanitize.ts';

export interface ReasonGroup {
  reason: string;
  /** Student ids, in course order. */
  ids: string[];
  /** With `profile: auto`: the profiles it picked for these students, most often first (a wrong pick can be the reason). */
  profiles?: { name: string; count: number }[];
}

const ERROR_LINE = /(?:^|\s)(?:fatal )?error:\s*(.*)$/i;

export function loadFailureReason(message: string, spec?: string): string {
  const lines = message.split('\n').map((l) => l.trim()).filter(Boolean);
  for (const line of lines) {
    const m = ERROR_LINE.exec(line);
    if (m) return cleanLine(`error: ${m[1]}`);
  }
  let first = lines[0] ?? 'no message';
  if (spec) first = first.split(spec).join('<submission>');
  // Any other absolute path would make every student's reason unique.
  return cleanLine(first.replace(/(?:\/[^\s/:'"`]+)+\/?/g, (p) => (p.split('/').length > 2 ? '<path>' : p)));
}

/** Groups by reason, the largest group first (ties by reason), ids kept in the order given. */
export function groupByReason(items: readonly { id: string; reason: string; profile?: string }[]): ReasonGroup[] {
  const groups = new Map<string, { ids: string[]; profiles: Map<string, number> }>();
  for (const { id, reason, profile } of items) {
    let g = groups.get(reason);
    if (!g) groups.set(reason, (g = { ids: [], profiles: new Map() }));
    g.ids.push(id);
    if (profile !== undefined) g.profiles.set(profile, (g.profiles.get(profile) ?? 0) + 1);
  }
  return [...groups.entries()]
    .map(([reason, g]): ReasonGroup => ({
      reason,
      ids: g.ids,
      ...(g.profiles.size && { profiles: [...g.profiles.entries()].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1)) }),
    }))
    .sort((a, b) => b.ids.length - a.ids.length || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));
}
