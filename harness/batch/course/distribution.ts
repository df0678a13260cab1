/**
 * The score distribution of a course: ten equal bins from 0 to the highest
 * possible total, each split by status, and the median. A kit error has no
 * score (it is the kit's failure, not a zero), so it is left out.
 */
import type { Status } from '../../report/types.ts';

export interface ScoreBin {
  /** Lower bound (inclusive); the last bin also holds its upper bound. */
  from: number;
  to: number;
  pass: number;
  fail: number;
}

export interface PassLine {
  score: number;
  /** Where the line comes from: the TA's `--pass-line`, or the lowest total of a passing submission. */
  source: 'given' | 'lowest-pass';
}

export interface Distribution {
  /** The highest possible total (100 for grades; the checks' points for tests-only batches). */
  max: number;
  bins: ScoreBin[];
  /** The median total of the scored submissions (undefined when none has a score). */
  median?: number;
  passLine?: PassLine;
  scored: number;
}

const BINS = 10;

export function scoreDistribution(rows: readonly { status: Status; total?: number }[], max: number, passLine?: number): Distribution {
  const width = max / BINS;
  const bins: ScoreBin[] = Array.from({ length: BINS }, (_, i) => ({ from: i * width, to: (i + 1) * width, pass: 0, fail: 0 }));
  const totals: number[] = [];
  let lowestPass: number | undefined;
  for (const r of rows) {
    if (r.status === 'error' || r.total === undefined) continue;
    totals.push(r.total);
    const bin = bins[Math.min(BINS - 1, Math.max(0, Math.floor(r.total / width)))]!;
    if (r.status === 'pass') {
      bin.pass++;
      lowestPass = Math.min(lowestPass ?? Infinity, r.total);
    } else bin.fail++;
  }
  const d: Distribution = { max, bins, scored: totals.length };
  const median = medianOf(totals);
  if (median !== undefined) d.median = median;
  if (passLine !== undefined) d.passLine = { score: passLine, source: 'given' };
  else if (lowestPass !== undefined) d.passLine = { score: lowestPass, source: 'lowest-pass' };
  return d;
}

export function medianOf(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
