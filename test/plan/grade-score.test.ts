/**
 * In-process `grade` decides its points, totals and status by the one
 * `score(plan, results)`: its report is what `score` makes of its own
 * results under the plan `buildPlan` makes from the same configuration and
 * flags, for an allocator that passes and one that fails (with points
 * overridden by the configuration, so a second rule would show). And the
 * platform files cut that total into per-test points the scoring side
 * decides (plan/shares.ts): results.json's and Classroom's tests add up to
 * the report's score to the cent.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { gradeSubmission } from '../../harness/grade/grade.ts';
import { buildPlan } from '../../harness/plan/build.ts';
import { score } from '../../harness/plan/score.ts';
import { platformShares } from '../../harness/plan/shares.ts';
import { toGradescope } from '../../harness/platform/gradescope.ts';
import { toClassroomResult } from '../../harness/platform/github.ts';
import { DEFAULT_CONFIG } from '../../harness/config/defaults.ts';
import type { CheckResult, GradeReport } from '../../harness/report/types.ts';

const SUBS = fileURLToPath(new URL('../fixtures/batch/subs/', import.meta.url));
const CHECKS = ['alignment', 'free-null', 'churn', 'realloc'];
const WORKLOADS = ['binary', 'coalescing'];

function configFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'heapgrade-grade-score-')), 'heapgrade.config.json');
  writeFileSync(file, JSON.stringify({ checks: { alignment: 20, churn: 15 }, score: { correctness: 70, performance: 30 } }));
  return file;
}

describe('in-process grade scores through score(plan, results)', () => {
  const configPath = configFile();
  for (const [name, expectStatus] of [['pass.ts', 'pass'], ['fail-misaligned.ts', 'fail']] as const) {
    it(`${name}: the report's points, totals and status are score()'s under buildPlan's plan`, async () => {
      const spec = join(SUBS, name);
      const report = await gradeSubmission(spec, { configPath, checks: CHECKS, workloads: WORKLOADS, jobs: 1, showHidden: true });
      const plan = await buildPlan({ mode: 'grade', submission: spec, configFile: configPath, checks: CHECKS, workloads: WORKLOADS });
      const scored = score(plan, { checks: report.checks, workloads: report.workloads });
      expect(report.status).toBe(expectStatus);
      expect(report.checks.find((c) => c.name === 'alignment')!.maxPoints).toBe(20);
      expect({ status: report.status, score: report.score, correctness: report.correctness, breakdown: report.breakdown, checks: report.checks, workloads: report.workloads }).toStrictEqual({
        status: scored.status,
        score: scored.score,
        correctness: scored.correctness,
        breakdown: scored.breakdown,
        checks: scored.checks,
        workloads: scored.workloads,
      });
      expect(report.breakdown.correctness).toBeCloseTo((70 * report.correctness.points) / report.correctness.maxPoints, 2);

      // results.json: the tests' scores add up to the score, their maxima to 100, each within its maximum; a passed check shows all of its points.
      const weights = { correctness: 70, performance: 30, utilWeight: DEFAULT_CONFIG.utilWeight };
      const g = toGradescope(report, { rules: { score: weights, utilWeight: weights.utilWeight } });
      const cents = (xs: (number | undefined)[]) => xs.reduce<number>((s, x) => s + Math.round((x ?? 0) * 100), 0);
      expect(g.score).toBe(report.score);
      expect(cents(g.tests!.map((t) => t.score))).toBe(Math.round(report.score * 100));
      expect(cents(g.tests!.map((t) => t.max_score))).toBe(10_000);
      for (const t of g.tests!) if (t.max_score !== undefined) expect(t.score!, t.name).toBeLessThanOrEqual(t.max_score);
      for (const c of report.checks.filter((x) => x.status === 'pass' && x.maxPoints > 0)) {
        const t = g.tests!.find((x) => x.name === `Correctness: ${c.name}`)!;
        expect(t.score).toBe(t.max_score);
      }
      // Classroom: the checks' points on the same scale and the performance points, adding up to the same score.
      const classroom = toClassroomResult(report, { score: weights, utilWeight: weights.utilWeight });
      expect(cents(classroom.tests.map((t) => t.score))).toBe(Math.round(report.score * 100));
      expect(classroom.max_score).toBe(100);
    }, 300_000);
  }
});

describe('platformShares settles the cents', () => {
  const check = (name: string, points: number): CheckResult => ({ name, description: '', status: points > 0 ? 'pass' : 'fail', points, maxPoints: 1, violations: [], ops: 1, durationMs: 1 });
  const gradeOf = (checks: CheckResult[], total: number): GradeReport => ({
    version: 1, kind: 'grade', submission: 'x.ts', status: 'fail', checks, score: total, durationMs: 1, workloads: [],
    correctness: { points: checks.reduce((s, c) => s + c.points, 0), maxPoints: checks.length }, breakdown: { correctness: total, utilization: 0, throughput: 0 },
  });
  const rules = { score: { correctness: 40, performance: 60 }, utilWeight: 0.6 };

  it('three checks of 40/3 points, the last two passed: 26.67, each passed check at its maximum, the maxima still 40', () => {
    // Rounded alone, the passed checks' maxima are 13.33 + 13.33 = 26.66, a cent short of the score.
    const s = platformShares(gradeOf([check('a', 0), check('b', 1), check('c', 1)], 26.67), rules);
    expect(s.checks.reduce((t, c) => t + Math.round(c.score * 100), 0)).toBe(2667);
    expect(s.checks.reduce((t, c) => t + Math.round(c.max * 100), 0)).toBe(4000);
    expect(s.checks[0]!.score).toBe(0);
    for (const c of s.checks.slice(1)) expect(c.score).toBe(c.max);
    // What results.json shows: the same cents (each share rounded alone gave 26.66).
    const g = toGradescope(gradeOf([check('a', 0), check('b', 1), check('c', 1)], 26.67), { rules });
    expect(g.tests!.reduce((t, x) => t + Math.round((x.score ?? 0) * 100), 0)).toBe(2667);
  });

  it('visible and hidden shares settle apart: no visible score or maximum moves with a hidden workload\'s result', () => {
    const workload = (name: string, weight: number, blend: number, hidden: boolean): GradeReport['workloads'][number] => ({
      name, description: '', hidden, weight, status: 'pass', ops: 1, utilization: blend, peakPayload: 1, peakHeap: 1, throughput: 1, utilScore: blend, speedScore: blend, violations: [],
    });
    // Every mix of all-or-nothing results over shares of a third: the maxima and totals that cannot be cut to the cent alone.
    const moved: string[] = [];
    for (const passed of [[0, 0, 0], [1, 1, 1], [0, 1, 1], [1, 0, 0], [1, 1, 0]]) {
      for (const visibleBlend of [0, 1, 0.5]) {
        const visible: string[] = [];
        for (const hiddenBlend of [0, 1, 0.37, 0.5]) {
          const checks = passed.map((p, i) => check(`c${i}`, p));
          const workloads = [workload('v1', 1, visibleBlend, false), workload('v2', 1, 0, false), workload('h', 1, hiddenBlend, true)];
          // The total as score decides it: each exact part, summed, to the cent.
          const exact = (rules.score.correctness * passed.reduce((a, b) => a + b, 0)) / 3 + (rules.score.performance / 3) * (visibleBlend + hiddenBlend);
          const report = { ...gradeOf(checks, Math.round(exact * 100) / 100), workloads };
          const s = platformShares(report, rules);
          const cents = (xs: { score: number; max: number }[]) => xs.map((x) => [Math.round(x.score * 100), Math.round(x.max * 100)]);
          const shown = [...cents(s.checks), ...cents([s.workloads[0]!, s.workloads[1]!])];
          visible.push(JSON.stringify(shown));
          // The whole still adds up: scores to the total, maxima to 100.
          const all = [...s.checks, ...s.workloads.map((w) => w!)];
          expect(all.reduce((t, x) => t + Math.round(x.score * 100), 0)).toBe(Math.round(report.score * 100));
          expect(all.reduce((t, x) => t + Math.round(x.max * 100), 0)).toBe(10_000);
          for (const x of all) expect(x.score).toBeLessThanOrEqual(x.max);
          // The visible scores add up to the visible exact total, to the cent.
          const visibleExact = (rules.score.correctness * passed.reduce((a, b) => a + b, 0)) / 3 + (rules.score.performance / 3) * visibleBlend;
          expect(shown.reduce((t, [c]) => t + c!, 0)).toBe(Math.round(visibleExact * 100));
        }
        if (new Set(visible).size > 1) moved.push(`checks ${passed.join('')}, visible workload ${visibleBlend}`);
      }
    }
    expect(moved).toStrictEqual([]);
  });

  it('a test run keeps its checks\' own points', () => {
    const report = { ...gradeOf([check('a', 0), check('b', 1)], 0), kind: 'test' as const };
    const { score: _s, correctness: _c, breakdown: _b, workloads: _w, ...test } = report;
    expect(platformShares(test, rules)).toStrictEqual({ checks: [{ score: 0, max: 1 }, { score: 1, max: 1 }], workloads: [], total: 1, max: 2 });
  });
});
