/**
 * What a job asks of the grading child beside its plan: how the result is
 * shown and how the child spreads its work. Nothing here can change a grade
 * (that is the plan's, sealed); the child validates it like the plan, and
 * refuses a key it does not know, so no switch (`confine: false`, a seed, a
 * selection) can ride in on it.
 */
import { PlanError } from './validate.ts';

export interface RunRequest {
  /** Also write the report as an HTML page here (in the child's scratch folder; the parent copies it out). */
  readonly html?: string;
  /** With `html`: the page is the student's copy, without any hidden workload. */
  readonly htmlForStudent?: boolean;
  /** The TA's view: hidden workloads keep their names and details in the report. */
  readonly showHidden?: boolean;
  /** Worker threads the child may use (a batch gives each child its share of the cores). */
  readonly jobs?: number;
  /** Wall-clock backstop of shrinking a failure to its shortest calls, ms (the repro's length, never the verdict). */
  readonly shrinkMs?: number;
}

const CHECKS: Record<keyof RunRequest, (v: unknown) => boolean> = {
  html: (v) => typeof v === 'string' && v !== '',
  htmlForStudent: (v) => typeof v === 'boolean',
  showHidden: (v) => typeof v === 'boolean',
  jobs: (v) => typeof v === 'number' && Number.isInteger(v) && v >= 1,
  shrinkMs: (v) => typeof v === 'number' && Number.isFinite(v) && v > 0,
};

const WANT: Record<keyof RunRequest, string> = {
  html: 'a file path',
  htmlForStudent: 'true or false',
  showHidden: 'true or false',
  jobs: 'a whole number, at least 1',
  shrinkMs: 'a positive number of milliseconds',
};

/** The value as a RunRequest, or a PlanError naming every key that is unknown or wrong. */
export function validateRunRequest(value: unknown): RunRequest {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new PlanError(`expected a run request (an object), got ${value === null ? 'null' : typeof value}`);
  const problems: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    if (!Object.hasOwn(CHECKS, key)) problems.push(`\`${key}\` is not a run request key (known: ${Object.keys(CHECKS).join(', ')}); what changes a grade travels in the sealed plan`);
    else if (v !== undefined && !CHECKS[key as keyof RunRequest](v)) problems.push(`\`${key}\` must be ${WANT[key as keyof RunRequest]}, got ${JSON.stringify(v)}`);
  }
  if (problems.length) throw new PlanError(`not a valid run request: ${problems.join('; ')}`);
  return value as RunRequest;
}
