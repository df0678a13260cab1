/**
 * What the isolated child runs: `heapgrade grade` or `heapgrade test` on one
 * submission, as plain data. Imported by child-main.ts before any submission
 * code is loaded. Options arrive as JSON from the parent.
 */
import type { GradeOptions } from '../grade/grade.ts';
import type { CheckResult, GradeReport, TestReport, WorkloadResult } from '../report/types.ts';
import type { TestOptions } from '../runner/run-tests.ts';
import { cSubmissionTarget } from '../loader/c-targets.ts';
import type { IsolatedMode } from './protocol.ts';
import type { GradingPlan } from '../plan/types.ts';

/**
 * The options a job may carry across the process boundary, by mode: plain
 * data (JSON), a subset of each front end's options (no callbacks).
 */
export interface IsolatedJobOptions {
  grade: Pick<GradeOptions, 'workloads' | 'showHidden' | 'htmlForStudent' | 'skipChecks' | 'seed' | 'vs' | 'checks' | 'jobs' | 'profile'>;
  test: Pick<TestOptions, 'checker' | 'limit' | 'callTimeoutMs' | 'seed' | 'checks' | 'jobs' | 'compiler' | 'profile'>;
}

/** The child's own callbacks (never from the job message): each result streams to the parent as it completes. */
export interface JobCallbacks {
  onCheck?: (result: CheckResult) => void;
  onWorkload?: (result: WorkloadResult) => void;
}

export type GradeFunction = (spec: string, plan: GradingPlan, options: IsolatedJobOptions[IsolatedMode] & JobCallbacks) => Promise<TestReport | GradeReport>;

/**
 * Each mode imports only what it runs: a child's start-up is paid once per
 * submission, and `test` of TypeScript never loads the submission in this
 * thread (its workers do), so it needs neither the loader nor SES here.
 * Whatever this thread will import is imported now, before child-main.ts
 * fingerprints the built-ins: SES changes them when it loads (its shims) and
 * when it locks the realm down, and those changes are the kit's.
 */
export async function gradeFunction(mode: IsolatedMode, spec: string): Promise<GradeFunction> {
  // `grade` evaluates the submission in this thread; `test` of C loads the compiled module here once (run-tests.ts).
  if (mode === 'grade' || cSubmissionTarget(spec) !== undefined) {
    const [{ ensureLockdown }] = await Promise.all([import('../confine/lockdown.ts'), import('../loader/load.ts')]);
    ensureLockdown();
  }
  if (mode === 'grade') {
    const { gradeSubmission } = await import('../grade/grade.ts');
    // The plan's configuration, resolved under its profile: `grade` neither reads a file nor decides the profile again.
    return (spec, plan, options) => {
      const { profile: _decided, ...rest } = options as IsolatedJobOptions['grade'];
      // What to run: the plan's checks and workloads, unless the job asks for fewer (a resumed run: what its journal lacks).
      const owed = { checks: plan.checks.map((c) => c.name), workloads: plan.workloads.map((w) => w.name), skipChecks: plan.checks.length === 0 };
      // Confinement from the sealed plan, after every job option: no pass-through option can lift it.
      return gradeSubmission(spec, { ...owed, ...rest, config: plan.config, configDir: plan.configDir, confine: plan.sandbox.confine });
    };
  }
  const [{ testOptionsFromConfig }, { runTests }] = await Promise.all([import('../config/test-options.ts'), import('../runner/run-tests.ts')]);
  return async (spec, plan, { onCheck, onWorkload: _noWorkloads, ...options }) => {
    // The same resolver as `heapgrade test`, on the plan's configuration (its profile decided by the parent).
    const { profile: _decided, ...rest } = options as IsolatedJobOptions['test'];
    return runTests(spec, testOptionsFromConfig(plan.config, { checks: plan.checks.map((c) => c.name), ...rest, onResult: onCheck, confine: plan.sandbox.confine }));
  };
}
