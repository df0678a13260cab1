/**
 * The ONE function that makes a GradingPlan, in the parent: reads the
 * configuration once, decides the profile once (`--profile` over the file's;
 * `auto` from the submission's own sources), and lists the checks and
 * workloads the run owes with their points.
 */
import { loadConfig } from '../config/load.ts';
import { KNOWN_NAMES } from '../config/test-options.ts';
import { planWorkloads, selectWorkloads } from '../config/workloads.ts';
import { configForSubmission } from '../config/for-submission.ts';
import { resolveProfile } from '../profiles/resolve.ts';
import { CHECKS, findCheck } from '../../suites/correctness/index.ts';
import { WORKLOADS } from '../../suites/workloads/index.ts';
import { CONFINED_IN_PROCESS, type SandboxPolicy } from '../trust/policy.ts';
import { UsageError } from '../util/errors.ts';
import type { Config } from '../config/types.ts';
import type { CompilerChoice } from '../wasm/toolchain.ts';
import type { Detection } from '../profiles/detect.ts';
import { PLAN_VERSION, type GradingPlan, type PlanMode, type PlannedCheck } from './types.ts';

export interface PlanRequest {
  mode: PlanMode;
  /** An absolute path or `ref:NAME` (the plan travels to processes in other folders). */
  submission: string;
  /** The configuration file (absolute), or undefined for the defaults. */
  configFile?: string;
  /** `--profile`: a name, `auto` or a profile file, over the configuration's. */
  profile?: string;
  /** Only these checks. @default all */
  checks?: readonly string[];
  /** Only these workloads (grade). @default the configuration's */
  workloads?: readonly string[];
  /** No checks (grade: benchmarks of the performance part). */
  skipChecks?: boolean;
  /** @default confined, in process */
  sandbox?: SandboxPolicy;
  /** The instance seed of every replay. @default 1 */
  seed?: number;
  /** `--check-heap`: the allocator's check() after every operation. @default false */
  checkHeap?: boolean;
  /** C only: which compiler. @default 'auto' */
  compiler?: CompilerChoice;
  /** Command-line settings over the configuration's (a flag wins over the file). */
  overrides?: ConfigOverrides;
}

/** The configuration keys a command's flags may set for one run. */
export type ConfigOverrides = Partial<Pick<Config, 'alignment' | 'malloc0' | 'realloc0' | 'heapLimit' | 'callTimeoutMs' | 'speed'>>;

/**
 * What a caller chooses of a plan (a batch, a platform run, `test --sandbox`):
 * everything but what the isolation runner decides itself (the mode, the
 * submission's absolute path, the configuration file, the sandbox policy).
 */
export type PlanChoices = Omit<PlanRequest, 'mode' | 'submission' | 'configFile' | 'sandbox'>;

export async function buildPlan(request: PlanRequest): Promise<GradingPlan> {
  const loaded = await loadConfig(request.configFile, KNOWN_NAMES);
  const { config, detection } = await configForSubmission(loaded, request.profile, request.submission, KNOWN_NAMES);
  return planFromConfig({ ...request, config, configFile: loaded.file ?? null, configDir: loaded.dir, ...(detection && { detection }) });
}

/** What a plan is made from once the configuration is read and its profile decided. */
export interface ResolvedPlanRequest extends Omit<PlanRequest, 'configFile' | 'profile'> {
  /** The configuration resolved under its decided profile. */
  config: Config;
  configFile: string | null;
  configDir: string;
  detection?: Detection;
}

/**
 * The plan for a configuration already read and resolved: the second half
 * of `buildPlan`, and the only place checks, their points and beyond-handout
 * flags, and workloads are listed. In-process `grade` given a resolved
 * configuration (the child's, from its plan) plans through here too.
 */
export function planFromConfig(request: ResolvedPlanRequest): GradingPlan {
  const { detection } = request;
  if (request.seed !== undefined && !(Number.isInteger(request.seed) && request.seed >= 0)) throw new UsageError(`--seed must be a non-negative whole number, got ${request.seed}`);
  const config = withOverrides(request.config, request.overrides);
  const { beyond, traceReading } = resolveProfile(config.profile, []).profile;
  const names = request.checks ?? CHECKS.map((c) => c.name);
  const checks: PlannedCheck[] = request.skipChecks
    ? []
    : names.map((name) => {
        const check = findCheck(name);
        if (!check) throw new UsageError(`unknown check "${name}". Checks: ${CHECKS.map((c) => c.name).join(', ')}`);
        const why = beyond[name];
        return { name, description: check.description, maxPoints: config.checks[name] ?? check.points, ...(why !== undefined && { beyond: why }) };
      });
  const workloads = request.mode === 'grade' ? selectWorkloads(planWorkloads(config, WORKLOADS, request.configDir), request.workloads ? [...request.workloads] : undefined) : [];
  return {
    version: PLAN_VERSION,
    mode: request.mode,
    submission: request.submission,
    profile: config.profile,
    ...(detection && { detection: { profile: detection.profile, reasons: [...detection.reasons] } }),
    configFile: request.configFile,
    configDir: request.configDir,
    config,
    seed: request.seed ?? 1,
    checkHeap: request.checkHeap ?? false,
    compiler: request.compiler ?? 'auto',
    checks,
    workloads,
    traceReading,
    sandbox: request.sandbox ?? CONFINED_IN_PROCESS,
  };
}

/** The configuration with the command's flags over it; a flag left unset keeps the file's value. */
function withOverrides(config: Config, overrides: ConfigOverrides | undefined): Config {
  if (!overrides) return config;
  const given = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) as ConfigOverrides;
  return { ...config, ...given };
}
