/**
 * Per correctness check: how many of the submissions it ran on passed, and
 * the mistakes behind the failures, most common first, each with one
 * student's example (the first lines of the minimal repro, else the call
 * that broke the rule) so a TA can see the mistake without opening a report.
 */
import { describeCalls } from '../../trace/types.ts';
import { cleanLine } from '../../report/sanitize.ts';
import type { CheckResult } from '../../report/types.ts';

export interface MistakeExample {
  id: string;
  /** The first calls of the repro (or the failing call), as C. */
  lines: string[];
  /** Calls in the whole repro (0 when there was none). */
  reproLength: number;
  message: string;
}

export interface Mistake {
  /** A violation kind (DESIGN.md), or `kit error` / `failed` when the check failed without one. */
  kind: string;
  /** Students whose first problem in this check was this kind. */
  count: number;
  example: MistakeExample;
}

export interface CheckSummary {
  name: string;
  /** Submissions the check ran on and judged (not stopped before it, not beyond the handout, not a kit error). */
  ran: number;
  passed: number;
  mistakes: Mistake[];
}

export const EXAMPLE_LINES = 4;
export const MISTAKES_SHOWN = 5;

/** `checks` per student, in course order. */
export function summarizeChecks(students: readonly { id: string; checks: readonly CheckResult[] }[]): CheckSummary[] {
  const byName = new Map<string, { ran: number; passed: number; kinds: Map<string, Mistake> }>();
  for (const s of students) {
    for (const c of s.checks) {
      let acc = byName.get(c.name);
      if (!acc) byName.set(c.name, (acc = { ran: 0, passed: 0, kinds: new Map() }));
      if (c.notRun !== undefined || c.required === false) continue;
      if (c.status === 'error') {
        count(acc.kinds, 'kit error', s.id, c, []);
        continue;
      }
      acc.ran++;
      if (c.status === 'pass') {
        acc.passed++;
        continue;
      }
      const v = c.violations[0];
      const lines = v?.repro ? describeCalls(v.repro) : v?.call ? [v.call] : [];
      count(acc.kinds, v?.kind ?? 'failed', s.id, c, lines, v?.repro?.length ?? 0, v?.message);
    }
  }
  return [...byName.entries()].map(([name, acc]) => ({
    name,
    ran: acc.ran,
    passed: acc.passed,
    mistakes: [...acc.kinds.values()].sort((a, b) => b.count - a.count || (a.kind < b.kind ? -1 : 1)).slice(0, MISTAKES_SHOWN),
  }));
}

function count(kinds: Map<string, Mistake>, kind: string, id: string, c: CheckResult, lines: string[], reproLength = 0, message?: string): void {
  const m = kinds.get(kind);
  if (m) {
    m.count++;
    return;
  }
  kinds.set(kind, {
    kind,
    count: 1,
    example: { id, lines: lines.slice(0, EXAMPLE_LINES), reproLength, message: cleanLine(message ?? c.error ?? '') },
  });
}
