/**
 * A scored report's points per test on a platform's scale, beside `score`:
 * the platforms (Gradescope's tests, Classroom's) show one score per check
 * and per workload, and those must add up to the total `score` decided, to
 * the cent. In a grade each check gets its share of the correctness points
 * and each counted workload its share of the performance points; in a test
 * run the checks keep their own points. Writers format these numbers and
 * never compute their own.
 *
 * Rounding each share to 0.01 alone can miss the total by a few cents; the
 * cents are settled here: maxima by largest remainder (they add up to 100),
 * a test that earned all or nothing shows exactly its maximum or 0, and the
 * cents left over go to tests that earned part of their points. Visible
 * tests and hidden workloads settle apart (`settle`), so that before
 * publication no number a student sees moves with a hidden workload's result.
 */
import type { ScoreRules } from '../scoring/score.ts';
import { earned } from '../report/earned.ts';
import { isGradeReport, type GradeReport, type TestReport } from '../report/types.ts';

/** One test's points on the platform's scale. */
export interface TestShare {
  score: number;
  max: number;
}

export interface Shares {
  /** One per check of the report, in its order. */
  checks: TestShare[];
  /** One per workload of the report, in its order; undefined for one that counts for nothing (skipped, weight 0). */
  workloads: (TestShare | undefined)[];
  /** The report's total (`earned`): the scores above add up to it. */
  total: number;
  /** What the maxima add up to: 100 for a grade. */
  max: number;
}

/** The weights a grade's shares are cut by: the configuration's correctness and performance points and utilization share. */
export type ShareRules = Pick<ScoreRules, 'utilWeight'> & { score: Pick<ScoreRules['score'], 'correctness' | 'performance'> };

interface Exact {
  max: number;
  earned: number;
  hidden: boolean;
}

export function platformShares(report: TestReport | GradeReport, rules: ShareRules): Shares {
  const grade = isGradeReport(report) ? report : undefined;
  const checkMax = report.checks.reduce((s, c) => s + c.maxPoints, 0);
  // A grade's checks share its correctness points by their points; a test run's keep their own.
  const scale = grade ? (checkMax > 0 ? rules.score.correctness / checkMax : 0) : 1;
  const exact: Exact[] = report.checks.map((c) => ({ max: scale * c.maxPoints, earned: scale * c.points, hidden: false }));
  const counted = (grade?.workloads ?? []).filter(countsIn);
  const weight = counted.reduce((s, w) => s + w.weight, 0);
  const workloadIndex = (grade?.workloads ?? []).map((w) => {
    if (!countsIn(w) || weight === 0) return -1;
    const max = (rules.score.performance * w.weight) / weight;
    const blend = rules.utilWeight * w.utilScore + (1 - rules.utilWeight) * w.speedScore;
    exact.push({ max, earned: max * blend, hidden: w.hidden });
    return exact.length - 1;
  });
  const total = earned(report).points;
  const cents = settle(exact, Math.round(total * 100));
  const share = (i: number): TestShare => ({ score: cents.earned[i]! / 100, max: cents.max[i]! / 100 });
  return {
    checks: report.checks.map((_, i) => share(i)),
    workloads: workloadIndex.map((i) => (i < 0 ? undefined : share(i))),
    total,
    max: cents.max.reduce((s, m) => s + m, 0) / 100,
  };
}

const countsIn = (w: GradeReport['workloads'][number]): boolean => w.status !== 'skipped' && w.weight > 0;

/**
 * Whole cents for every test's maximum and score, the scores adding up to
 * `target` cents whenever the maxima allow. Visible tests (the checks, the
 * visible workloads) and hidden workloads settle apart: the visible ones add
 * up to their own exact total, to the cent, and the hidden ones take what is
 * left of `target`, so no cent of score or maximum ever moves between a
 * hidden workload and a visible test, and no visible number moves with a
 * hidden result before publication.
 */
function settle(exact: readonly Exact[], target: number): { max: number[]; earned: number[] } {
  const hidden = exact.map((e, i) => (e.hidden ? i : -1)).filter((i) => i >= 0);
  const visible = exact.map((e, i) => (e.hidden ? -1 : i)).filter((i) => i >= 0);
  const sum = (ix: number[], f: (e: Exact) => number): number => ix.reduce((s, i) => s + f(exact[i]!), 0);
  const maxCents = Math.round(sum([...visible, ...hidden], (e) => e.max) * 100);
  const visibleMax = hidden.length ? Math.round(sum(visible, (e) => e.max) * 100) : maxCents;
  const visibleTarget = hidden.length ? Math.round(sum(visible, (e) => e.earned) * 100) : target;
  const max: number[] = new Array(exact.length);
  const earned: number[] = new Array(exact.length);
  for (const [ix, maxTarget, scoreTarget] of [[visible, visibleMax, visibleTarget], [hidden, maxCents - visibleMax, target - visibleTarget]] as const) {
    const group = settleGroup(ix.map((i) => exact[i]!), maxTarget, scoreTarget);
    ix.forEach((i, k) => {
      max[i] = group.max[k]!;
      earned[i] = group.earned[k]!;
    });
  }
  return { max, earned };
}

/** One group's cents: maxima adding up to `maxTarget`, scores to `target` whenever the maxima allow. */
function settleGroup(exact: readonly Exact[], maxTarget: number, target: number): { max: number[]; earned: number[] } {
  const max = apportionTo(exact.map((e) => e.max * 100), maxTarget);
  const full = exact.map((e) => e.max > 0 && e.earned >= e.max - 1e-9);
  const none = exact.map((e) => e.earned <= 1e-9);
  const got = exact.map((e, i) => (full[i] ? max[i]! : none[i] ? 0 : Math.min(max[i]!, Math.max(0, Math.round(e.earned * 100)))));
  let missing = target - got.reduce((s, x) => s + x, 0);
  // The cents left over: to tests that earned part of their points, nearest to their exact value.
  const partial = exact.map((e, i) => ({ i, e })).filter(({ i }) => !full[i] && !none[i]);
  const order = (up: boolean) => [...partial].sort((a, b) => (up ? 1 : -1) * (b.e.earned * 100 - got[b.i]! - (a.e.earned * 100 - got[a.i]!)) || a.i - b.i);
  while (missing !== 0) {
    const up = missing > 0;
    const next = order(up).find(({ i }) => (up ? got[i]! < max[i]! : got[i]! > 0));
    if (!next) break;
    got[next.i]! += up ? 1 : -1;
    missing += up ? -1 : 1;
  }
  // None left to take them (all or nothing everywhere): a cent of maximum moves between a test of this group that earned all and one that earned nothing.
  while (missing !== 0) {
    const up = missing > 0;
    const from = got.findIndex((_, i) => (up ? none[i] && max[i]! > 0 : full[i] && max[i]! > 0));
    const to = got.findIndex((_, i) => (up ? full[i] : none[i]));
    if (from < 0 || to < 0) break;
    max[from]! -= 1;
    max[to]! += 1;
    if (up) got[to]! += 1;
    else got[from]! -= 1;
    missing += up ? -1 : 1;
  }
  return { max, earned: got };
}

/** Whole numbers near `values`, adding up to `target` (largest remainder, either way). */
function apportionTo(values: readonly number[], target: number): number[] {
  const floors = values.map((v) => Math.floor(v + 1e-9));
  let missing = target - floors.reduce((s, v) => s + v, 0);
  const order = values.map((v, i) => ({ i, rest: v - floors[i]! })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (let k = 0; missing > 0 && order.length > 0; k = (k + 1) % order.length, missing--) floors[order[k]!.i]!++;
  while (missing < 0) {
    const last = [...order].reverse().find(({ i }) => floors[i]! > 0);
    if (!last) break;
    floors[last.i]!--;
    missing++;
  }
  return floors;
}

/**
 * Rounds each value to `digits` decimals so that the rounded values add up
 * to the rounded sum of the exact ones (largest remainder): three checks of
 * 100/3 points become 33.34 + 33.33 + 33.33, not 33.33 * 3 = 99.99.
 */
export function apportion(values: readonly number[], digits: number): number[] {
  const unit = 10 ** digits;
  const scaled = values.map((v) => v * unit);
  return apportionTo(scaled, Math.round(scaled.reduce((s, v) => s + v, 0))).map((f) => f / unit);
}
