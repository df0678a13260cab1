/**
 * What the isolated child runs: `heapgrade grade` or `heapgrade test` on one
 * submission, as plain data. Imported by child-main.ts before any submission
 * code is loaded.
 */
import type { GradeReport, TestReport } from '../report/types.ts';
import type { IsolatedMode } from './protocol.ts';

export type GradeFunction = (spec: string, options: { configPath?: string } & Record<string, unknown>) => Promise<TestReport | GradeReport>;

export async function gradeFunction(mode: IsolatedMode): Promise<GradeFunction> {
  if (mode === 'grade') {
    const { gradeSubmission } = await import('../grade/grade.ts');
    return (spec, options) => gradeSubmission(spec, options);
  }
  const { runTests } = await import('../runner/run-tests.ts');
  return (spec, options) => runTests(spec, options);
}
