/**
 * The trust policy, in one place (README.md beside it says what student code
 * reaches in each mode and which layer enforces each protection).
 *
 * Student code is hostile until proven otherwise. The one switch that weakens
 * confinement, loading a TypeScript submission without its SES compartment,
 * exists for the OS sandbox's own tests, which must attack the sandbox with
 * unconfined code. It is reachable from tests only by construction:
 *
 * - it is a token keyed by a module-private symbol, so no JSON (a
 *   configuration file, a job message, a journal), no command-line flag and
 *   no environment variable can carry it; only code that imports this module
 *   by path can make one, and the package's exports do not include it;
 * - the parent turns it into the plan's `sandbox.confine` (harness/plan),
 *   sealed for the job, and the grading child takes confinement from the
 *   plan alone, after every option a job carries.
 */

/** The OS sandbox of an isolated child (harness/sandbox): `required` fails where it cannot start, `auto` goes on without it and says so, `off` runs the child as the grader. */
export type SandboxMode = 'required' | 'auto' | 'off';

const UNCONFINED = Symbol('heapgrade: unconfined, for tests of the OS sandbox only');

/** Proof that a trusted test asked for unconfined loading. */
export interface UnconfinedForTests {
  readonly [UNCONFINED]: true;
  /** What the test needs it for (kept for the reader of the test). */
  readonly why: string;
}

/** Tests of the OS sandbox only: a submission loaded without its compartment, so its attacks reach the OS. */
export function unconfinedForTests(why: string): UnconfinedForTests {
  return Object.freeze({ [UNCONFINED]: true as const, why });
}

/** Whether `value` is a token made by unconfinedForTests (a look-alike from JSON never is: it lacks the symbol). */
export function isUnconfined(value: unknown): value is UnconfinedForTests {
  return typeof value === 'object' && value !== null && (value as Partial<Record<typeof UNCONFINED, unknown>>)[UNCONFINED] === true;
}

/** The sandbox part of a grading plan: how the submission is confined, decided by the parent. */
export interface SandboxPolicy {
  /** The SES compartment around a TypeScript submission; false only from an UnconfinedForTests token. */
  readonly confine: boolean;
  /** The OS sandbox of the grading child: `required`, `auto` or `off`; `in-process` when no child runs (`heapgrade test`, the vitest adapter). */
  readonly os: SandboxMode | 'in-process';
}

export const CONFINED_IN_PROCESS: SandboxPolicy = { confine: true, os: 'in-process' };

/** The policy of an isolated run: the OS sandbox mode, and the compartment unless a test's token lifts it. */
export function isolatedPolicy(os: SandboxMode, unconfined: UnconfinedForTests | undefined): SandboxPolicy {
  return { confine: !isUnconfined(unconfined), os };
}
