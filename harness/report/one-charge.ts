/**
 * One bug, one report. Each violation kind belongs to the rule it breaks,
 * and that rule has one check (RULE_OWNER). A check that does not target a
 * continuable kind (calloc-not-zeroed, realloc-data-lost, misaligned) never
 * stops at it: the checker goes on under the check's own rules
 * (check-runner.ts, CONTINUABLE_KINDS), so such a bug costs points only in
 * the checks made for it, and every other check earns its points by running
 * to its end. When several checks still stop at the same bug (a crash, an
 * overlap: after these nothing can be checked further), each keeps the
 * status and points it got, since its own rule was never shown to hold, and
 * the bug is explained once: the rule's own check (else the first that
 * targets the kind, else the first) carries the full report and the others
 * say "see <that check>". A heap-check complaint under `--check-heap` is
 * informative (the template README says so): it never costs points and is
 * reported once for the run, with the checks where `check()` complained.
 *
 * Decided here, where the run's check statuses are final, so that every
 * front end and writer (text, JSON, JUnit, gradebooks) shows the same
 * report; reporters only format `see` and `heapCheck`.
 */
import { findCheck } from '../../suites/correctness/index.ts';
import type { ViolationKind } from '../checker/violation.ts';
import { rootCauseKey } from './root-cause.ts';
import type { CheckResult, TestReport } from './types.ts';

/** The check whose rule each kind breaks. Crashes (segfault, threw, timeout) have none: the first check that met one carries its report. */
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

/** The run's checks with each bug explained once, and the heap-check complaints gathered into one note. */
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
 * Each bug explained once (score() applies it too: idempotent, a result
 * grouped before is grouped the same again). Points are never given back here.
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
      // Same status and points: a check that stopped early never showed that its own rule held.
      out[i] = { ...c, see: { check: checks[charged]!.name, kind, op: v.op } };
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
