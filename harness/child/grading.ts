/**
 * What the isolated child runs: `heapgrade grade` or `heapgrade test` on one
 * submission, as plain data. Imported by child-main.ts before any submission
 * code is loaded. The child runs the sealed plan as it received it (the
 * checks and workloads it owes, its seed, budgets and confinement), and the
 * run request only for how the result is shown and the work spread.
 */
import type { CheckResult, GradeReport, TestReport, WorkloadResult } from '../report/types.ts';
import { cSubmissionTarget } from '../loader/c-targets.ts';
import type { IsolatedMode } from './messages.ts';
import type { GradingPlan } from '../plan/types.ts';
import type { RunRequest } from '../plan/request.ts';

/** The child's own callbacks (never from the job message): each result streams to the parent as it completes. */
export interface JobCallbacks {
  onCheck?: (result: CheckResult) => void;
  onWorkload?: (result: WorkloadResult) => void;
}

export type GradeFunction = (spec: string, plan: GradingPlan, request: RunRequest, callbacks: JobCallbacks) => Promise<TestReport | GradeReport>;

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
    return (spec, plan, request, { onCheck, onWorkload }) => gradeSubmission(spec, { plan, ...request, onCheck, onWorkload });
  }
  const [{ testOptionsFromPlan }, { runTests }] = await Promise.all([import('../plan/test-options.ts'), import('../runner/run-tests.ts')]);
  return (spec, plan, request, { onCheck }) => runTests(spec, testOptionsFromPlan(plan, { jobs: request.jobs, shrinkMs: request.shrinkMs, onResult: onCheck }));
}
