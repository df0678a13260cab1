/**
 * The grading plan: every rule a grade is made by, decided once in the
 * parent (build.ts) from the configuration, the flags and the submission,
 * then carried by value (JSON) to the compile service, the grading child and
 * its workers. Nothing downstream reads a configuration file or a flag again;
 * `score(plan, results)` (score.ts) turns results into points by it alone.
 */
import type { Config } from '../config/types.ts';
import type { PlannedWorkload } from '../config/workloads.ts';
import type { TraceReading } from '../trace/parse.ts';
import type { SandboxPolicy } from '../trust/policy.ts';
import type { CompilerChoice } from '../wasm/toolchain.ts';

/** Bumped whenever a field changes meaning: a child refuses a plan of another version. */
export const PLAN_VERSION = 2;

export type PlanMode = 'test' | 'grade';

/** One correctness check the plan owes: its points, and why the handout does not require it (then it is worth 0 and never fails). */
export interface PlannedCheck {
  readonly name: string;
  readonly description: string;
  readonly maxPoints: number;
  readonly beyond?: string;
}

export interface GradingPlan {
  readonly version: typeof PLAN_VERSION;
  readonly mode: PlanMode;
  /** The submission: an absolute path, or `ref:NAME`. */
  readonly submission: string;
  /** The course profile, decided (`auto` resolved here, once): a built-in name or an absolute profile file. */
  readonly profile: string;
  /** Set when `auto` chose the profile: why. */
  readonly detection?: { readonly profile: string; readonly reasons: readonly string[] };
  /** The configuration file read (absolute), or null for the defaults. */
  readonly configFile: string | null;
  /** Where the configuration's relative paths start. */
  readonly configDir: string;
  /** The configuration resolved under `profile`, with the command's overrides (`--alignment`, `--limit`, `--speed`, ...) applied: budgets, limits, checker policy, thresholds, score weights. */
  readonly config: Config;
  /** The instance seed of every replay (heap bases, the random checks). */
  readonly seed: number;
  /** Call the allocator's own check() after every operation (`--check-heap`). */
  readonly checkHeap: boolean;
  /** C only: the compiler the parent compiles with (part of the compile-cache key). */
  readonly compiler: CompilerChoice;
  /** The checks this run owes, in order, with their points (`[]` when checks are skipped). */
  readonly checks: readonly PlannedCheck[];
  /** The workloads this run owes (grade only), hidden ones marked. */
  readonly workloads: readonly PlannedWorkload[];
  /** How the workloads' trace files are read: the profile's (as its handout's mdriver reads them, or strictly). */
  readonly traceReading: TraceReading;
  /** How the submission is confined (harness/trust): the child takes it from here, never from a job option. */
  readonly sandbox: SandboxPolicy;
}
