/**
 * The one rule for a check's points, used by `score` (harness/plan) and by
 * the check runner alike: all of its points for a pass, none otherwise; a
 * check beyond the course handout is worth 0 and never fails (what it found
 * is kept as `observed`); a kit error or a check that did not run earns 0.
 * Idempotent: a result pointed before (a resumed child's report) gets the same points again.
 */
import type { CheckResult } from './types.ts';

export function pointCheck(res: CheckResult, maxPoints: number, beyond: string | undefined): CheckResult {
  const raw = asRan(res);
  if (raw.notRun !== undefined || raw.status === 'error') return { ...raw, points: 0, maxPoints };
  if (beyond !== undefined) return beyondHandout(raw, beyond);
  return { ...raw, maxPoints, points: raw.status === 'pass' ? maxPoints : 0 };
}

/** A check the handout does not require: 0 points, never a failure, what it found kept as data. */
export function beyondHandout(res: CheckResult, why: string): CheckResult {
  return { ...res, points: 0, maxPoints: 0, status: 'pass', observed: res.status, required: false, beyondHandout: true, beyondReason: why };
}

/** The result as the check ran, before any beyond-the-handout marking. */
function asRan(c: CheckResult): CheckResult {
  if (!c.beyondHandout) return c;
  const { required: _r, beyondHandout: _b, observed, beyondReason: _w, ...rest } = c;
  return { ...rest, status: observed ?? c.status };
}
