/** `grade` runs its workloads side by side: the same report as one at a time, in the configuration's order; the batch's grain. */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../harness/config/load.ts';
import { gradeSubmission } from '../../harness/grade/grade.ts';
import { workerGrain } from '../../harness/batch/run-batch.ts';
import type { WorkloadResult } from '../../harness/report/types.ts';
import { WORKLOADS } from '../../suites/workloads/index.ts';
import { ReplayGate } from '../../harness/grade/replay-gate.ts';
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
