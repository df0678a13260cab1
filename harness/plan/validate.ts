/**
 * A plan is checked at every boundary it crosses: its shape (a small
 * hand-written validator: a plan is JSON and may have been altered on its
 * way), its version, and its seal. The seal binds a plan to one job: an
 * HMAC of the plan under the job's secret nonce, which only the parent and
 * the child it started know. A plan a child did not get from its parent
 * (another job's, written to a file, edited) is refused.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { PLAN_VERSION, type GradingPlan } from './types.ts';

export class PlanError extends Error {
  override readonly name = 'PlanError';
}

/** The plan's seal for the job with this nonce. */
export function sealPlan(plan: GradingPlan, nonce: string): string {
  return createHmac('sha256', nonce).update(JSON.stringify(plan)).digest('base64url');
}

/** The plan as the child received it, if it is a whole plan of this version sealed for this job; throws PlanError otherwise. */
export function openPlan(value: unknown, seal: unknown, nonce: string): GradingPlan {
  const plan = validatePlan(value);
  const want = Buffer.from(sealPlan(plan, nonce));
  const got = Buffer.from(typeof seal === 'string' ? seal : '');
  if (got.length !== want.length || !timingSafeEqual(got, want)) {
    throw new PlanError('the grading plan was not sealed for this job (it did not come from this child\'s parent, or was changed on the way); the child grades only by its parent\'s plan');
  }
  return plan;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The value as a GradingPlan, or a PlanError naming every field that is wrong. */
export function validatePlan(value: unknown): GradingPlan {
  const problems: string[] = [];
  const need = (ok: boolean, what: string): void => {
    if (!ok) problems.push(what);
  };
  if (!isObject(value)) throw new PlanError(`expected a grading plan (an object), got ${value === null ? 'null' : typeof value}`);
  need(value.version === PLAN_VERSION, `\`version\` must be ${PLAN_VERSION}, got ${JSON.stringify(value.version)} (a kit of another version made it)`);
  need(value.mode === 'test' || value.mode === 'grade', '`mode` must be "test" or "grade"');
  need(typeof value.submission === 'string' && value.submission !== '', '`submission` must be a path or ref:NAME');
  need(typeof value.profile === 'string' && value.profile !== '' && value.profile !== 'auto', '`profile` must be decided (a name or a profile file, never auto)');
  need(value.configFile === null || typeof value.configFile === 'string', '`configFile` must be a path or null');
  need(typeof value.configDir === 'string', '`configDir` must be a path');
  need(isNumber(value.seed) && Number.isInteger(value.seed) && value.seed >= 0, '`seed` must be a non-negative whole number');
  need(typeof value.checkHeap === 'boolean', '`checkHeap` must be true or false');
  need(value.compiler === 'auto' || value.compiler === 'yowasp' || value.compiler === 'system', '`compiler` must be "auto", "yowasp" or "system"');
  const config = value.config;
  need(isObject(config) && config.profile === value.profile && isObject(config.score) && isObject(config.checks) && isNumber(config.heapLimit), '`config` must be the configuration resolved under `profile`');
  need(
    Array.isArray(value.checks) &&
      value.checks.every((c) => isObject(c) && typeof c.name === 'string' && typeof c.description === 'string' && isNumber(c.maxPoints) && c.maxPoints >= 0 && (c.beyond === undefined || typeof c.beyond === 'string')),
    '`checks` must list {name, description, maxPoints >= 0, beyond?}',
  );
  need(
    Array.isArray(value.workloads) &&
      value.workloads.every((w) => isObject(w) && typeof w.name === 'string' && typeof w.file === 'string' && isNumber(w.weight) && typeof w.hidden === 'boolean'),
    '`workloads` must list {name, file, weight, hidden}',
  );
  need(value.traceReading === 'strict' || value.traceReading === 'mdriver' || value.traceReading === 'mdriver-2002', '`traceReading` must be "strict", "mdriver" or "mdriver-2002"');
  const sandbox = value.sandbox;
  need(isObject(sandbox) && typeof sandbox.confine === 'boolean' && ['required', 'auto', 'off', 'in-process'].includes(sandbox.os as string), '`sandbox` must be {confine: boolean, os: required|auto|off|in-process}');
  if (problems.length) throw new PlanError(`not a valid grading plan: ${problems.join('; ')}`);
  return value as unknown as GradingPlan;
}
