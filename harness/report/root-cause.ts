/**
 * One bug, one report: failing checks whose first violation has the same
 * root cause are grouped, so the report explains the bug once and lists the
 * other checks it broke. Two violations share a root cause when they are
 * the same kind and
 * - the kind is a property of a returned pointer or of the allocator as a
 *   whole (one misaligned rounding, one calloc that never zeroes, one
 *   realloc that copies too little), or
 * - they happened at the same source line (a segfault or an exception that
 *   names `file:line:col`), or
 * - shrinking brought them to the same calls.
 */
import { findCheck } from '../../suites/correctness/index.ts';
import type { ViolationKind } from '../checker/violation.ts';
import type { CheckResult } from './types.ts';
import { describeCalls } from './violation-text.ts';

export interface RootCauseGroup {
  /** The check printed in full: the first failing one that targets the rule, else the first failing one. */
  lead: CheckResult;
  /** Other checks failing for the same reason, in table order. */
  same: CheckResult[];
}

/** Kinds about one returned value or the allocator as a whole: the kind alone is the cause. */
// realloc-data-lost too: a realloc that copies too little loses data in every check that reallocs.
const KIND_IS_CAUSE: ReadonlySet<ViolationKind> = new Set(['misaligned', 'calloc-not-zeroed', 'calloc-overflow', 'zero-size-policy', 'off-heap-metadata', 'realloc-data-lost']);

const SOURCE_LOCATION = /(?:^|[\s(])((?:[\w./-]+\.(?:ts|js|mts|c|h)):\d+(?::\d+)?)/;

export function rootCauseKey(c: CheckResult): string | undefined {
  if (c.status !== 'fail') return undefined;
  const v = c.violations[0];
  if (!v) return undefined;
  if (KIND_IS_CAUSE.has(v.kind)) return v.kind;
  const at = SOURCE_LOCATION.exec(v.message)?.[1];
  if (at) return `${v.kind} at ${at}`;
  if (v.repro?.length) return `${v.kind} after ${describeCalls(v.repro).join('; ')}`;
  return undefined;
}

export function groupByRootCause(failed: readonly CheckResult[]): RootCauseGroup[] {
  const byKey = new Map<string, CheckResult[]>();
  const groups: CheckResult[][] = [];
  for (const c of failed) {
    const key = rootCauseKey(c);
    const members = key === undefined ? undefined : byKey.get(key);
    if (members) members.push(c);
    else {
      const fresh = [c];
      groups.push(fresh);
      if (key !== undefined) byKey.set(key, fresh);
    }
  }
  return groups.map((members) => {
    const kind = members[0]!.violations[0]?.kind;
    const lead = members.find((c) => kind !== undefined && findCheck(c.name)?.targets.includes(kind)) ?? members[0]!;
    return { lead, same: members.filter((c) => c !== lead) };
  });
}
