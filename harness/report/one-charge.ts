/**
 * One bug, one charge. Each violation kind belongs to the rule it breaks,
 * and that rule has one check (RULE_OWNER). When several checks stop at the
 * same bug (the same kind, and the same place or calls when the kind does
 * not say it alone), only one of them loses its points: the rule's own
 * check when it is among them, else the first that targets the kind, else
 * the first. The others keep their points (their own rule held as far as
 * they got) and say "see <that check>". A heap-check complaint under
 * `--check-heap` is informative (the template README says so): it never
 * costs points and is reported once for the run, with the checks where
 * `check()` complained.
 *
 * Decided here, where the run's check statuses are final, so that every
 * front end and writer (text, JSON, JUnit, gradebooks) shows the same
 * points; reporters only format `see` and `heapCheck`.
 */
import { findCheck } from '../../suites/correctness/index.ts';
import type { ViolationKind } from '../checker/violation.ts';
import { rootCauseKey } from './root-cause.ts';
import type { CheckResult, TestReport } from './types.ts';

/** The check whose rule each kind breaks. Crashes (segfault, threw, timeout) have none: they are charged once per place. */
export const RULE_OWNER: Partial<Record<ViolationKind, string>> = {
  misaligned: 'alignment',
  'out-of-heap': 'alignment',
  'zero-size-policy': 'zero-size',
  overlap: 'churn',
  'payload-corrupted': 'integrity',
  'calloc-not-zeroed': 'calloc-dirty',
  'calloc-overflow': 'calloc-overflow',
  'realloc-data-lost': 'realloc',
  'spurious-null': 'exhaustion',
  'out-of-memory': 'exhaustion',
  'off-heap-metadata': 'off-heap-metadata',
};

/** The run's checks with each bug charged once, and the heap-check complaints gathered into one note. */
export function chargeOnce(checks: readonly CheckResult[]): { checks: CheckResult[]; heapCheck?: HeapCheckNote } {
  const out = chargeChecks(checks);
  const complained = out.filter((c) => c.heapCheck);
  if (complained.length === 0) return { checks: out };
  const first = complained[0]!;
  const note: HeapCheckNote = { check: first.name, violation: first.heapCheck!, checks: complained.map((c) => c.name) };
  for (const c of complained) delete c.heapCheck;
  return { checks: out, heapCheck: note };
}

/**
 * Each bug charged once (score() applies it too: idempotent, a result charged
 * before is charged the same again).
 */
export function chargeChecks(checks: readonly CheckResult[]): CheckResult[] {
  const groups = new Map<string, number[]>();
  checks.forEach((c, i) => {
    if (c.beyondHandout || c.notRun) return;
    const key = rootCauseKey(c);
    if (key === undefined) return;
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  });
  const out = checks.map((c) => ({ ...c }));
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const kind = checks[members[0]!]!.violations[0]!.kind;
    const owner = RULE_OWNER[kind];
    const charged =
      members.find((i) => checks[i]!.name === owner) ?? members.find((i) => findCheck(checks[i]!.name)?.targets.includes(kind)) ?? members[0]!;
    for (const i of members) {
      if (i === charged) continue;
      const c = out[i]!;
      const v = c.violations[0]!;
      out[i] = { ...c, status: 'pass', points: c.maxPoints, violations: [], see: { check: checks[charged]!.name, kind, op: v.op } };
      delete out[i]!.snapshot;
      delete out[i]!.replay;
      delete out[i]!.reproFile;
      delete out[i]!.output;
    }
  }
  return out;
}

/** `check()` complained under --check-heap: informative, once for the run. */
export type HeapCheckNote = NonNullable<TestReport['heapCheck']>;
