/** `grade` runs its workloads side by side: the same report as one at a time, in the configuration's order; the batch's grain. */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../harness/config/load.ts';
import { gradeSubmission } from '../../harness/grade/grade.ts';
import { workerLanes } from '../../harness/batch/run-batch.ts';
import type { WorkloadResult } from '../../harness/report/types.ts';
import { WORKLOADS } from '../../suites/workloads/index.ts';
import { ReplayGate } from '../../harness/grade/replay-gate.ts';
import { workloadOrder } from '../../harness/grade/workload-order.ts';
import { statSync } from 'node:fs';
import { resolveCheckerOptions } from '../../harness/checker/options.ts';
import type { IsolatedReplay, IsolatedReplayer } from '../../harness/runner/isolated-replayer.ts';

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

describe('ReplayGate', () => {
  it('replays overlap, but a lane times its workload only when no replay is in flight', async () => {
    const gate = new ReplayGate();
    let inFlight = 0;
    let most = 0;
    const fake = { replay: async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 5 + Math.floor(Math.random() * 30)));
      inFlight--;
      return {} as IsolatedReplay;
    } } as unknown as IsolatedReplayer;
    const request = { seed: 1, limit: 1 << 20, checker: resolveCheckerOptions() };
    const timedWith: number[] = [];
    const lane = async (replays: number) => {
      const r = gate.lane(fake);
      for (let k = 0; k < replays; k++) {
        await r.replay([], request);
        timedWith.push(inFlight); // what grade's synchronous timing would run beside
        await new Promise((res) => setTimeout(res, Math.floor(Math.random() * 5))); // reading the next trace
      }
    };
    await Promise.all([lane(6), lane(3), lane(5)]);
    expect(timedWith).toHaveLength(14);
    expect(timedWith.every((n) => n === 0)).toBe(true);
    expect(most).toBeGreaterThan(1); // and they did run side by side
  });
});

describe('workerLanes', () => {
  it('gives every child one lane while submissions wait, so --jobs N uses N lanes in all', () => {
    expect(workerLanes(1, 0, 99)).toBe(1);
    expect(workerLanes(2, 1, 97)).toBe(1); // one lane held, 97 waiting
    expect(workerLanes(8, 7, 50)).toBe(1);
  });
  it('shares the spare lanes between the children still to start: a batch of one, the tail of a batch', () => {
    expect(workerLanes(2, 0, 0)).toBe(2);
    expect(workerLanes(4, 1, 0)).toBe(3);
    expect(workerLanes(1, 0, 0)).toBe(1);
    // Two submissions on --jobs 4: 2 + 2 lanes, never 3 + 3.
    const first = workerLanes(4, 0, 1);
    expect([first, workerLanes(4, first, 0)]).toEqual([2, 2]);
    // Three on --jobs 4: 1 + 1 + 2.
    const a = workerLanes(4, 0, 2);
    const b = workerLanes(4, a, 1);
    expect([a, b, workerLanes(4, a + b, 0)]).toEqual([1, 1, 2]);
  });
});

describe('workloadOrder', () => {
  it('starts the largest trace first, ties and unknown files in the configuration order', () => {
    const sizes: Record<string, number> = { a: 10, b: 300, c: 10, d: 0, e: 70 };
    const plan = ['a', 'b', 'c', 'd', 'e', 'missing'].map((file) => ({ file }));
    expect(workloadOrder(plan, (f) => sizes[f] ?? 0)).toEqual([1, 4, 0, 2, 3, 5]);
  });

  it('reads the sizes of the files the plan names', () => {
    const order = workloadOrder(WORKLOADS.map((w) => ({ file: w.file })));
    const sizes = order.map((i) => statSync(WORKLOADS[i]!.file).size);
    expect([...sizes].sort((x, y) => y - x)).toEqual(sizes);
    expect(new Set(order).size).toBe(WORKLOADS.length);
  });
});
