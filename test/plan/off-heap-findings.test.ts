/**
 * Tables made outside the heap in any check's or workload's calls fail
 * off-heap-metadata in the one place points are decided (score, and
 * runTests through the same withOffHeapFindings): a workload's instance that
 * made a 32 MiB table on its 5000th malloc fails the check and forfeits the
 * performance points like a table made at load; its control (the same
 * results, no finding) keeps them. A hidden workload's finding is named only
 * as "a hidden workload": no call, size or table reaches a student's view.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { OffHeapFinding } from '../../harness/contract/instance.ts';
import { redactHidden, withoutHidden } from '../../harness/grade/redact.ts';
import { buildPlan } from '../../harness/plan/build.ts';
import { emptyWorkloadResult, OFF_HEAP_FORFEIT, score } from '../../harness/plan/score.ts';
import type { GradingPlan } from '../../harness/plan/types.ts';
import { reportOf } from '../../harness/plan/report.ts';
import type { CheckResult, GradeReport } from '../../harness/report/types.ts';

const MM = fileURLToPath(new URL('../fixtures/c/handouts/malloclab-2002/mm.c', import.meta.url));

const FINDING: OffHeapFinding = {
  bytes: 33554692,
  atLoad: 0,
  inFactory: 260,
  inCalls: 33554432,
  call: 5000,
  biggest: { what: 'a Uint32Array of 16777216 bytes', bytes: 16777216, made: 'call', call: 5000, op: 'malloc(4072)' },
};

async function plan(hidden: boolean): Promise<GradingPlan> {
  const file = join(mkdtempSync(join(tmpdir(), 'heapgrade-findings-')), 'heapgrade.config.json');
  writeFileSync(file, JSON.stringify({ profile: 'heapgrade', onlyListedWorkloads: true, workloads: { coalescing: {}, 'random-churn': { hidden } } }));
  return buildPlan({ mode: 'grade', submission: MM, configFile: file });
}

/** Every check passing, every workload measured well; `tables` on random-churn's result when given. */
function results(p: GradingPlan, tables?: OffHeapFinding) {
  const checks: CheckResult[] = p.checks.map((c) => ({ name: c.name, description: '', points: 0, maxPoints: c.maxPoints, violations: [], ops: 1, durationMs: 1, status: 'pass' }));
  const workloads = p.workloads.map((w) => ({
    ...emptyWorkloadResult(w),
    ops: 100,
    utilization: 0.9,
    throughput: 1.5,
    peakPayload: 90,
    peakHeap: 100,
    ...(tables && w.name === 'random-churn' && { offHeap: tables }),
  }));
  return { checks, workloads };
}

const offHeapCheck = (checks: readonly CheckResult[]) => checks.find((c) => c.name === 'off-heap-metadata')!;

describe('tables made in any workload fail off-heap-metadata, decided once in score', () => {
  it('names the workload, the call and what was made; forfeits performance; the control without it keeps its points', async () => {
    const p = await plan(false);
    const hostile = score(p, results(p, FINDING));
    const control = score(p, results(p));
    const check = offHeapCheck(hostile.checks);
    expect(check.status).toBe('fail');
    expect(check.points).toBe(0);
    expect(check.violations[0]!.message).toBe(
      'the allocator keeps 33554692 bytes of typed arrays, arrays, objects and collections outside the heap by call #5000 of the workload random-churn ' +
        '(0 made when the module loaded, 260 made in createAllocator, 33554432 made in its calls; at most 2048 allowed); ' +
        'biggest: a Uint32Array of 16777216 bytes, made by call #5000 (malloc(4072)) of the workload random-churn',
    );
    expect(check.violations[0]!.hint).toMatch(/belongs in the heap/);
    expect(hostile.workloads.every((w) => w.reason === OFF_HEAP_FORFEIT)).toBe(true);
    expect(offHeapCheck(control.checks).status).toBe('pass');
    expect(hostile.score).toBeLessThan(control.score);
    // The same verdict whatever order the results arrive in, and scoring the scored results again changes nothing.
    const r = results(p, FINDING);
    const reversed = score(p, { checks: [...r.checks].reverse(), workloads: [...r.workloads].reverse() });
    expect(offHeapCheck(reversed.checks)).toEqual(check);
    expect(score(p, { checks: hostile.checks, workloads: hostile.workloads }).score).toBe(hostile.score);
  });

  it("a hidden workload's finding says only that: no call, size or table in the message or in what the student is handed", async () => {
    const p = await plan(true);
    const scored = score(p, results(p, FINDING));
    const check = offHeapCheck(scored.checks);
    expect(check.status).toBe('fail');
    expect(check.violations[0]!.message).toBe(
      'the allocator keeps more than the 2048 bytes allowed of typed arrays, arrays, objects and collections outside the heap: tables made in a hidden workload',
    );
    const report = reportOf(p, scored, { submission: MM, durationMs: 1 }) as GradeReport;
    for (const view of [redactHidden(report), withoutHidden(report)]) {
      const text = JSON.stringify(view);
      expect(text).not.toMatch(/malloc\(4072\)|5000|16777216|random-churn/);
    }
  });
});
