import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../harness/config/load.ts';
import type { CheckResult } from '../../harness/report/types.ts';
import { heapCost } from '../../harness/contract/checked-heap.ts';
import { costPerOp, costRatio, MAX_RATIO } from '../../harness/scoring/cost.ts';
import { correctnessPoints, performancePoints, scoreWorkload, totalScore, type WorkloadMeasure } from '../../harness/scoring/score.ts';
import { linearScore } from '../../harness/scoring/thresholds.ts';
import { median } from '../../harness/scoring/throughput.ts';

const config = resolveConfig({});
const measure = (m: Partial<WorkloadMeasure>): WorkloadMeasure => ({
  weight: 1,
  skipped: false,
  violated: false,
  utilization: 0.74,
  throughput: 0.9,
  ...m,
});

describe('linearScore', () => {
  const range = { min: 0.55, max: 0.74 };
  it.each([
    [0, 0],
    [0.55, 0],
    [0.645, 0.5],
    [0.74, 1],
    [0.99, 1],
    [Number.NaN, 0],
    [-1, 0],
  ])('utilization %d scores %d', (value, expected) => {
    expect(linearScore(value, range)).toBeCloseTo(expected, 12);
  });

  it('rises linearly between the ends', () => {
    expect(linearScore(0.6, { min: 0.5, max: 0.9 })).toBeCloseTo(0.25, 12);
    expect(linearScore(0.8, { min: 0.5, max: 0.9 })).toBeCloseTo(0.75, 12);
  });
});

describe('scoreWorkload', () => {
  it('blends utilization and speed by utilWeight', () => {
    const s = scoreWorkload(measure({ utilization: 0.645, throughput: 0.9 }), config);
    expect(s.utilScore).toBeCloseTo(0.5, 12);
    expect(s.speedScore).toBe(1);
    expect(s.score).toBeCloseTo(0.6 * 0.5 + 0.4 * 1, 12);
  });

  it('gives a workload with a violation, or a skipped one, nothing', () => {
    expect(scoreWorkload(measure({ violated: true }), config)).toStrictEqual({ utilScore: 0, speedScore: 0, score: 0 });
    expect(scoreWorkload(measure({ skipped: true }), config)).toStrictEqual({ utilScore: 0, speedScore: 0, score: 0 });
  });
});

describe('performancePoints', () => {
  it('gives full performance points when every workload reaches the top thresholds', () => {
    expect(performancePoints([measure({}), measure({ weight: 3 })], config)).toStrictEqual({ utilization: 36, throughput: 24 });
  });

  it('weighs workloads by their weight', () => {
    // weight 3 at full marks, weight 1 with a violation: 3/4 of the points.
    const p = performancePoints([measure({ weight: 3 }), measure({ violated: true })], config);
    expect(p.utilization).toBeCloseTo(36 * 0.75, 12);
    expect(p.throughput).toBeCloseTo(24 * 0.75, 12);
  });

  it('leaves skipped and zero-weight workloads out of the mean', () => {
    const p = performancePoints([measure({}), measure({ skipped: true, utilization: 0 }), measure({ weight: 0, utilization: 0 })], config);
    expect(p).toStrictEqual({ utilization: 36, throughput: 24 });
    expect(performancePoints([], config)).toStrictEqual({ utilization: 0, throughput: 0 });
  });

  it('follows the configuration: shares, weight and thresholds', () => {
    const c = resolveConfig({ score: { correctness: 20 }, utilWeight: 1, utilization: { min: 0.5, max: 0.7 } });
    const p = performancePoints([measure({ utilization: 0.6, throughput: 0 })], c);
    expect(p.utilization).toBeCloseTo(40, 12);
    expect(p.throughput).toBe(0);
  });
});

describe('correctness and total', () => {
  const check = (points: number, maxPoints: number): CheckResult => ({
    name: 'x',
    description: '',
    points,
    maxPoints,
    status: points === maxPoints ? 'pass' : 'fail',
    violations: [],
    ops: 0,
    durationMs: 0,
  });

  it('scales the check points to the correctness share', () => {
    expect(correctnessPoints([check(8, 8), check(0, 12)], config)).toStrictEqual({ points: 8, maxPoints: 20, scaled: 16 });
    expect(correctnessPoints([], config).scaled).toBe(0);
  });

  it('adds up to 100 at most and rounds to hundredths', () => {
    expect(totalScore(40, { utilization: 36, throughput: 24 })).toBe(100);
    expect(totalScore(10 / 3, { utilization: 0, throughput: 0 })).toBe(3.33);
  });
});

describe('cost', () => {
  const stats = { sbrkCalls: 2, sbrkFailures: 0, peakExtent: 0, loads: 10, stores: 6, bytesMoved: 16 };
  it('counts words, moved bytes by 8 and sbrk calls', () => {
    expect(heapCost(stats)).toBe(10 + 6 + 2 + 2);
    expect(costPerOp(stats, 4)).toBe(5);
    expect(costPerOp(stats, 0)).toBe(0);
  });
  it('compares with the reference, capped', () => {
    expect(costRatio(5, 10)).toBe(0.5);
    expect(costRatio(5, 0)).toBe(MAX_RATIO);
    expect(costRatio(0, 0)).toBe(1);
    expect(costRatio(1e9, 1)).toBe(MAX_RATIO);
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});
