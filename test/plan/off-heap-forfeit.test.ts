/**
 * A submission that fails off-heap-metadata earns no utilization or speed
 * points by default (issue 19): both were measured with the help of the
 * metadata it kept outside the heap. Its honest control (the same
 * measurements, off-heap-metadata passing) keeps them; the configuration key
 * `offHeapForfeitsPerformance: false` scores them as measured; the report's
 * workloads say why.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../harness/plan/build.ts';
import { OFF_HEAP_FORFEIT, score } from '../../harness/plan/score.ts';
import { emptyWorkloadResult } from '../../harness/plan/score.ts';
import type { GradingPlan } from '../../harness/plan/types.ts';
import type { CheckResult } from '../../harness/report/types.ts';

const MM = fileURLToPath(new URL('../fixtures/c/handouts/malloclab-2002/mm.c', import.meta.url));

function configFile(contents: object): string {
  const file = join(mkdtempSync(join(tmpdir(), 'heapgrade-forfeit-')), 'heapgrade.config.json');
  writeFileSync(file, JSON.stringify(contents));
  return file;
}

/** Every planned check passing but off-heap-metadata, which has `offHeap`; every workload measured well. */
function results(plan: GradingPlan, offHeap: CheckResult['status']) {
  const checks: CheckResult[] = plan.checks.map((c) => ({
    name: c.name, description: '', points: 0, maxPoints: c.maxPoints, violations: [], ops: 1, durationMs: 1,
    status: c.name === 'off-heap-metadata' ? offHeap : 'pass',
  }));
  const workloads = plan.workloads.map((w) => ({ ...emptyWorkloadResult(w), ops: 100, utilization: 0.9, throughput: 1.5, peakPayload: 90, peakHeap: 100 }));
  return { checks, workloads };
}

describe('off-heap metadata forfeits utilization and speed', () => {
  it('scores no performance points when off-heap-metadata fails, and says why; the passing control keeps them', async () => {
    const plan = await buildPlan({ mode: 'grade', submission: MM, configFile: configFile({ profile: 'heapgrade' }) });
    const hostile = score(plan, results(plan, 'fail'));
    const control = score(plan, results(plan, 'pass'));
    expect(control.breakdown.utilization + control.breakdown.throughput).toBeGreaterThan(0);
    expect(hostile.breakdown).toMatchObject({ utilization: 0, throughput: 0 });
    expect(hostile.score).toBeLessThan(control.score);
    expect(hostile.workloads.every((w) => w.reason === OFF_HEAP_FORFEIT && w.utilScore === 0 && w.speedScore === 0)).toBe(true);
    expect(control.workloads.some((w) => w.reason === OFF_HEAP_FORFEIT)).toBe(false);
  });

  it('`offHeapForfeitsPerformance: false` scores them as measured', async () => {
    const plan = await buildPlan({ mode: 'grade', submission: MM, configFile: configFile({ profile: 'heapgrade', offHeapForfeitsPerformance: false }) });
    const s = score(plan, results(plan, 'fail'));
    expect(s.breakdown.utilization + s.breakdown.throughput).toBeGreaterThan(0);
    expect(s.workloads.some((w) => w.reason === OFF_HEAP_FORFEIT)).toBe(false);
  });
});
