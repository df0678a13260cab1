/**
 * `heapgrade gradescope`: grades /autograder/submission in an isolated child
 * and always leaves a results.json, also when the submission hangs, crashes
 * or does not load (Gradescope's "failed to execute" would hide all of that).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { dirname, join } from 'node:path';
import { loadConfig } from '../config/load.ts';
import { gradeIsolated, type IsolatedResult } from '../isolation/run-isolated.ts';
import { cleanText, markdownFence } from '../report/sanitize.ts';
import { reportFromIsolated } from './common.ts';
import type { SandboxMode } from '../bwrap/probe.ts';
import type { UnconfinedForTests } from '../trust/policy.ts';
import type { PlanChoices } from '../plan/build.ts';
import { hostedSandbox } from '../sandbox/hosted.ts';
import { describeProtections } from '../sandbox/protections.ts';
import { configTraces } from '../config/trace-files.ts';
import { UsageError } from '../util/errors.ts';
import { notGradedResults, toGradescope, type GradescopeResults } from './gradescope.ts';

export interface GradescopeRunOptions {
  submission: string;
  results: string;
  configPath?: string;
  timeoutMs: number;
  memoryMb: number;
  outputFormat: 'md' | 'text';
  mode: 'grade' | 'test';
  /** What the run chooses of its plan (e.g. `checks` in test mode). */
  choices?: PlanChoices;
  /** The OS sandbox (harness/sandbox/hosted.ts). @default the configuration's `sandbox`, else 'auto' */
  sandbox?: SandboxMode;
  /** Tests of the OS sandbox only (harness/trust): load the TypeScript submission without its compartment. */
  unconfined?: UnconfinedForTests;
}

const ENTRY = /^(allocator|index)\.(ts|mts|js|mjs)$|\.c$/;

/** The folder (or file) to grade: the submission folder, or its only subfolder when students zipped a folder. */
export function findSubmissionEntry(dir: string): string {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return dir;
  const names = readdirSync(dir, { withFileTypes: true });
  if (names.some((e) => e.isFile() && ENTRY.test(e.name))) return dir;
  const dirs = names.filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== '__MACOSX');
  return dirs.length === 1 ? join(dir, dirs[0]!.name) : dir;
}

export type GradescopeRun =
  | { results: GradescopeResults; isolated: IsolatedResult; notGraded?: undefined }
  /** Nothing was graded (the required sandbox refused, a broken configuration): results.json says why. */
  | { results: GradescopeResults; isolated?: undefined; notGraded: string };

/**
 * Always leaves results.json: a grade, or (the OS sandbox the course requires
 * cannot start, the configuration is broken) one that says why and what
 * fixes it; a configuration error is still thrown afterwards (exit 2).
 */
export async function runGradescope(o: GradescopeRunOptions): Promise<GradescopeRun> {
  const configPath = o.configPath !== undefined && existsSync(o.configPath) ? o.configPath : undefined;
  let config: Awaited<ReturnType<typeof loadConfig>>['config'];
  try {
    config = (await loadConfig(configPath)).config;
    if (configPath !== undefined) await configTraces(configPath); // a missing trace file is the TA's to fix: exit 2, named
  } catch (e) {
    if (e instanceof UsageError) await writeResults(o.results, notGradedResults('Autograder configuration', `The autograder's configuration is broken: ${e.message}`, { outputFormat: o.outputFormat }));
    throw e;
  }
  const sandbox = hostedSandbox(o.sandbox, config.sandbox, configPath);
  if (sandbox.refused) {
    const results = notGradedResults('Grading environment: OS sandbox required', sandbox.refused, { outputFormat: o.outputFormat, extra: { sandbox: 'refused' } });
    await writeResults(o.results, results);
    return { results, notGraded: sandbox.refused };
  }
  const isolated = await gradeIsolated(findSubmissionEntry(o.submission), {
    mode: o.mode,
    configPath,
    timeoutMs: o.timeoutMs,
    // The platform stops everything at its own wall clock: the backstop is that budget, so results are still written.
    wallBackstopMs: o.timeoutMs,
    memoryMb: o.memoryMb,
    ...(o.choices && { choices: o.choices }),
    // The report keeps the hidden workloads for the staff; toGradescope shows the student only what is visible.
    request: { showHidden: o.mode === 'grade' },
    sandbox: sandbox.mode,
    hide: [dirname(o.results)],
    ...(o.unconfined && { unconfined: o.unconfined }),
  });
  const report = reportFromIsolated(isolated);
  // What the allocator prints while a hidden workload runs could be the trace itself: with hidden workloads, none of it is shown.
  const hidden = isolated.plan?.workloads.some((w) => w.hidden) ?? false;
  const printed = [isolated.stdout, isolated.stderr].filter((s) => s.trim()).join('\n');
  const results = toGradescope(report, {
    outputFormat: o.outputFormat,
    // The plan's weights (its profile's and the configuration's), as every other writer of this grade; the file's only when no plan was made.
    rules: isolated.plan?.config ?? config,
    studentOutput: hidden && printed ? '(what your allocator printed is not shown: this grade includes hidden workloads)' : printed,
  });
  if (isolated.protections) {
    results.extra_data = { ...results.extra_data, protections: isolated.protections };
    results.output = `${results.output ?? ''}\n\n${describeProtections(isolated.protections)}`.trim();
  }
  results.execution_time = Math.round(isolated.durationMs / 1000);
  // Say what happened, once: a run without a report already has the detail as its output.
  if (isolated.outcome !== 'graded' && !(results.output ?? '').includes(cleanText(isolated.detail))) {
    const detail = o.outputFormat === 'md' ? markdownFence(isolated.detail) : cleanText(isolated.detail);
    results.output = `${detail}\n\n${results.output ?? ''}`.trim();
  }
  await writeResults(o.results, results);
  return { results, isolated };
}

const writeResults = (path: string, results: GradescopeResults): Promise<void> => writeFileAtomic(path, `${JSON.stringify(results, null, 2)}\n`);

/** The graded form of a run, for callers that know it grades (tests, with the sandbox available or `auto`). */
export function graded(run: GradescopeRun): { results: GradescopeResults; isolated: IsolatedResult } {
  if (run.notGraded !== undefined) throw new Error(`not graded: ${run.notGraded}`);
  return run;
}
