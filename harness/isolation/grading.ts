/**
 * What the isolated child runs: `heapgrade grade` or `heapgrade test` on one
 * submission, as plain data. Imported by child-main.ts before any submission
 * code is loaded. Options arrive as JSON from the parent.
 */
import { resolveCheckerOptions } from '../checker/options.ts';
import { loadConfig } from '../config/load.ts';
import { gradeSubmission, type GradeOptions } from '../grade/grade.ts';
import type { GradeReport, TestReport } from '../report/types.ts';
import { runTests, type TestOptions } from '../runner/run-tests.ts';
import { CHECKS } from '../../suites/correctness/index.ts';
import { WORKLOADS } from '../../suites/workloads/index.ts';
import type { IsolatedMode } from './protocol.ts';

export type GradeFunction = (spec: string, options: { configPath?: string } & Record<string, unknown>) => Promise<TestReport | GradeReport>;

export async function gradeFunction(mode: IsolatedMode): Promise<GradeFunction> {
  if (mode === 'grade') return (spec, options) => gradeSubmission(spec, options as GradeOptions);
  return async (spec, { configPath, ...options }) => {
    // `test` with a configuration: the same check settings `grade` would use.
    const known = { knownChecks: CHECKS.map((c) => c.name), knownWorkloads: WORKLOADS.map((w) => w.name) };
    const { config } = await loadConfig(configPath, known);
    const fromConfig: TestOptions = {
      checker: resolveCheckerOptions({ alignment: config.alignment, malloc0: config.malloc0, realloc0: config.realloc0 }),
      limit: config.heapLimit,
      callTimeoutMs: config.callTimeoutMs,
      points: config.checks,
    };
    return runTests(spec, { ...fromConfig, ...(options as TestOptions) });
  };
}
