/**
 * What the isolated child runs: `heapgrade grade` or `heapgrade test` on one
 * submission, as plain data. Imported by child-main.ts before any submission
 * code is loaded.
 */
import type { GradeReport, TestReport } from '../report/types.ts';
import type { TestOptions } from '../runner/run-tests.ts';
import type { IsolatedMode } from './protocol.ts';

export type GradeFunction = (spec: string, options: { configPath?: string } & Record<string, unknown>) => Promise<TestReport | GradeReport>;

// Until harness/grade/grade.ts lands, the specifier is not a literal so that tsc does not resolve it.
const GRADE_MODULE = '../grade/grade.ts';

export async function gradeFunction(mode: IsolatedMode): Promise<GradeFunction> {
  if (mode === 'grade') {
    const { gradeSubmission } = (await import(GRADE_MODULE)) as {
      gradeSubmission: (spec: string, options: { configPath?: string }) => Promise<GradeReport>;
    };
    return (spec, options) => gradeSubmission(spec, options);
  }
  const { runTests } = await import('../runner/run-tests.ts');
  return (spec, { configPath: _config, ...options }) => runTests(spec, options as TestOptions);
}
