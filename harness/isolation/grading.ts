/**
 * What the isolated child runs: `heapgrade grade` or `heapgrade test` on one
 * submission, as plain data. Imported by child-main.ts before any submission
 * code is loaded. Options arrive as JSON from the parent.
 */
import type { GradeOptions } from '../grade/grade.ts';
import type { CheckResult, GradeReport, TestReport, WorkloadResult } from '../report/types.ts';
import type { TestOptions } from '../runner/run-tests.ts';
import { cSubmissionTarget } from './c-targets.ts';
import type { IsolatedMode } from './protocol.ts';

/**
 * The options a job may carry across the process boundary, by mode: plain
 * data (JSON), a subset of each front end's options (no callbacks).
 */
export interface IsolatedJobOptions {
  grade: Pick<GradeOptions, 'workloads' | 'showHidden' | 'skipChecks' | 'seed' | 'vs' | 'checks' | 'jobs' | 'confine' | 'profile'>;
  test: Pick<TestOptions, 'checker' | 'limit' | 'callTimeoutMs' | 'seed' | 'checks' | 'jobs' | 'compiler' | 'confine' | 'profile'>;
}

/** The child's own callbacks (never from the job message): each result streams to the parent as it completes. */
export interface JobCallbacks {
  onCheck?: (result: CheckResult) => void;
  onWorkload?: (result: WorkloadResult) => void;
}

export type GradeFunction = (spec: string, options: { configPath?: string } & IsolatedJobOptions[IsolatedMode] & JobCallbacks) => Promise<TestReport | GradeReport>;

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
    return (spec, options) => gradeSubmission(spec, options as IsolatedJobOptions['grade'] & { configPath?: string });
  }
  const [{ loadConfig }, { configForSubmission }, { KNOWN_NAMES, testOptionsFromConfig }, { runTests }] = await Promise.all([
    import('../config/load.ts'),
    import('../profiles/for-submission.ts'),
    import('../config/test-options.ts'),
    import('../runner/run-tests.ts'),
  ]);
  return async (spec, { configPath, onCheck, onWorkload: _noWorkloads, ...options }) => {
    // `test` with a configuration: the same resolver, so the same rules as `test` and `grade`.
    // The job's profile (a command's --profile) wins over the file's, as in `heapgrade test --profile`;
    // `profile: auto` is decided from the submission's own sources, as `heapgrade test` does.
    const { profile, ...rest } = options as IsolatedJobOptions['test'];
    const { config } = await configForSubmission(await loadConfig(configPath, KNOWN_NAMES), profile, spec, KNOWN_NAMES);
    return runTests(spec, testOptionsFromConfig(config, { ...rest, onResult: onCheck }));
  };
}
