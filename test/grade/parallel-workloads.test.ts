/** `grade` runs its workloads side by side: the same report as one at a time, in the configuration's order; the batch's grain. */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../harness/config/load.ts';
import { gradeSubmission } from '../../harness/grade/grade.ts';
import { workerGrain } from '../../harness/batch/run-batch.ts';
import type { WorkloadResult } from '../../harness/report/types.ts';
import { WORKLOADS } from '../../suites/workloads/index.ts';

const FEW = ['tiny-blocks', 'coalescing', 'random-churn', 'calloc-heavy', 'binary'];

describe('parallel workloads', () => {
  it('three lanes give the report of one lane, in the configuration order, each workload reported once', async () => {
    // The cost basis: deterministic, so the two reports can be compared whole.
    const config = resolveConfig({ speed: 'cost' });
    const seen: string[] = [];
    const one = await gradeSubmission('ref:first-fit', { config, workloads: FEW, skipChecks: true, jobs: 1 });
    const three = await gradeSubmission('ref:first-fit', { config, workloads: FEW, skipChecks: true, jobs: 3, onWorkload: (w: WorkloadResult) => seen.push(w.name) });
    // The configuration's order (the kit's list), whichever lane finished first.
    const order = WORKLOADS.map((w) => w.name).filter((n) => FEW.includes(n));
    expect(one.workloads.map((w) => w.name)).toEqual(order);
    expect(three.workloads.map((w) => w.name)).toEqual(order);
    expect(seen.sort()).toEqual([...FEW].sort());
    expect({ ...three, durationMs: 0 }).toStrictEqual({ ...one, durationMs: 0 });
  });
});

describe('workerGrain', () => {
  it("gives each child its share of the cores, never less than one, and all of them to a lone child", () => {
    expect(workerGrain(1, 100, 2)).toBe(2);
    expect(workerGrain(2, 100, 2)).toBe(1);
    expect(workerGrain(3, 100, 8)).toBe(3);
    expect(workerGrain(16, 100, 4)).toBe(1);
    // Fewer submissions than jobs: only that many children run.
    expect(workerGrain(8, 1, 4)).toBe(4);
    expect(workerGrain(8, 0, 4)).toBe(4);
  });
});
