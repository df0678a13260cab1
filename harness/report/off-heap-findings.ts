/**
 * Tables an allocator made outside the heap, wherever it made them: each
 * check's and each workload's instances carry the first finding of the
 * off-heap ledger (harness/offheap/ledger.ts: what the module made at load,
 * the factory in createAllocator and the instance in any call, beyond the
 * allowance). This is where they meet, once for every front end: `score`
 * (harness/plan/score.ts: grade, batch, Gradescope) and `runTests` (`test`)
 * call `withOffHeapFindings` before any points are set, so a table made by
 * the 5000th malloc of a grade workload fails off-heap-metadata as surely as
 * one made at load, and the forfeit of performance points follows from the
 * one verdict. Idempotent: a check already failed keeps its own violation.
 */
import type { Violation } from '../checker/violation.ts';
import type { OffHeapFinding } from '../contract/instance.ts';
import { OFF_HEAP_ALLOWANCE_BYTES } from '../offheap/ledger.ts';
import type { CheckResult, WorkloadResult } from './types.ts';

export const OFF_HEAP_CHECK = 'off-heap-metadata';

export const TABLE_HINT =
  'Per-block bookkeeping (sizes, free lists, maps from pointer to block) belongs in the heap, even when it is allocated once or late: ' +
  'store headers and links with store32 and read them with load32; keep only a few numbers (list heads) outside it.';

/** Where a finding was made, as the report names it: a check, a workload, or a workload the student may not see. */
export type FindingPlace = { kind: 'check' | 'workload'; name: string; hidden?: boolean };

/** The off-heap-metadata violation of a finding; `at` names the check or workload whose instance made it (none: the check's own). */
export function tablesViolation(f: OffHeapFinding, at?: FindingPlace): Violation {
  if (at?.hidden) {
    // A hidden workload's calls, sizes and tables would tell its trace: only that it happened there.
    return {
      kind: 'off-heap-metadata',
      op: -1,
      message: `the allocator keeps more than the ${OFF_HEAP_ALLOWANCE_BYTES} bytes allowed of typed arrays, arrays, objects and collections outside the heap: tables made in a hidden workload`,
      hint: TABLE_HINT,
    };
  }
  const of = at === undefined ? '' : at.kind === 'check' ? ` of the ${at.name} check` : ` of the workload ${at.name}`;
  const b = f.biggest;
  const made =
    !b ? ''
    : b.made === 'load' ? 'made when the module loaded'
    : b.made === 'factory' ? 'made in createAllocator'
    : b.made === 'reached' ? `held where no call the kit routes met it (found after call #${b.call}${of})`
    : `made by call #${b.call} (${b.op})${of}`;
  const by = f.call === undefined ? 'from the start' : `by call #${f.call}${of}`;
  return {
    kind: 'off-heap-metadata',
    op: -1,
    size: f.bytes,
    message:
      `the allocator keeps ${f.bytes} bytes of typed arrays, arrays, objects and collections outside the heap ${by} ` +
      `(${f.atLoad} made when the module loaded, ${f.inFactory} made in createAllocator, ${f.inCalls} made in its calls${f.reached ? `, ${f.reached} held where no call the kit routes met it` : ''}; at most ${OFF_HEAP_ALLOWANCE_BYTES} allowed)` +
      (b ? `; biggest: ${b.what}, ${made}` : ''),
    hint: TABLE_HINT,
  };
}

/**
 * The checks with the off-heap-metadata check failed by the first finding
 * (checks in the order given, then workloads), when it passed as it ran
 * (a check beyond the handout records it as `observed`; one that did not run
 * or errored is left as it is). No such check in the run: nothing changes.
 */
export function withOffHeapFindings(checks: readonly CheckResult[], workloads: readonly WorkloadResult[] = []): CheckResult[] {
  const i = checks.findIndex((c) => c.name === OFF_HEAP_CHECK);
  const check = checks[i];
  if (!check || check.notRun !== undefined || (check.observed ?? check.status) !== 'pass') return [...checks];
  const places: [OffHeapFinding | undefined, FindingPlace][] = [
    ...checks.map((c): [OffHeapFinding | undefined, FindingPlace] => [c.offHeap, { kind: 'check', name: c.name }]),
    ...workloads.map((w): [OffHeapFinding | undefined, FindingPlace] => [w.offHeap, { kind: 'workload', name: w.name, hidden: w.hidden }]),
  ];
  const first = places.find(([f]) => f !== undefined);
  if (!first) return [...checks];
  const [finding, at] = first;
  const violation = tablesViolation(finding!, at.kind === 'check' && at.name === OFF_HEAP_CHECK ? undefined : at);
  const failed: CheckResult = check.beyondHandout ? { ...check, observed: 'fail', violations: [violation] } : { ...check, status: 'fail', points: 0, violations: [violation] };
  return checks.map((c, k) => (k === i ? failed : c));
}
