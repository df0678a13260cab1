/**
 * `heapgrade classroom`: the grading step of a GitHub Classroom workflow.
 * Grades the submission in an isolated child, then writes
 *  - the Markdown table to $GITHUB_STEP_SUMMARY,
 *  - `result=<base64 JSON>` to $GITHUB_OUTPUT, for the Classroom grading reporter (points per check),
 *  - one `::error` annotation per failing check on stdout,
 *  - the submission's own output between `::stop-commands::` markers, so it cannot issue workflow commands.
 */
import { randomBytes } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { TS_ENTRIES } from '../loader/prepare.ts';
import { loadConfig } from '../config/load.ts';
import { gradeIsolated, type IsolatedResult } from '../isolation/run-isolated.ts';
import { buildPlan, type PlanChoices } from '../plan/build.ts';
import { reportFromIsolated, type PlatformReport } from './common.ts';
import type { SandboxMode } from '../bwrap/probe.ts';
import { hostedSandbox } from '../sandbox/hosted.ts';
import { describeProtections } from '../sandbox/protections.ts';
import { encodeClassroomResult, notGradedClassroomResult, notGradedSummary, toAnnotations, toStepSummary, wrapUntrusted } from './github.ts';

export interface ClassroomRunOptions {
  submission: string;
  configPath?: string;
  mode: 'grade' | 'test';
  timeoutMs: number;
  memoryMb: number;
  /** @default $GITHUB_STEP_SUMMARY */
  summaryFile?: string;
  /** @default $GITHUB_OUTPUT */
  outputFile?: string;
  write?: (text: string) => void;
  /** What the run chooses of its plan (e.g. `checks`). */
  choices?: PlanChoices;
  /** The OS sandbox (harness/sandbox/hosted.ts). @default the configuration's `sandbox`, else 'auto' */
  sandbox?: SandboxMode;
}

export type ClassroomRun =
  | { report: PlatformReport; isolated: IsolatedResult; notGraded?: undefined }
  /** The OS sandbox the course requires cannot start on this runner: the summary and result say why. */
  | { report?: undefined; isolated?: undefined; notGraded: string };

export async function runClassroom(o: ClassroomRunOptions): Promise<ClassroomRun> {
  const write = o.write ?? ((t: string) => void process.stdout.write(t));
  const { config, file: configFile } = await loadConfig(o.configPath);
  const sandbox = hostedSandbox(o.sandbox, config.sandbox, configFile);
  if (sandbox.refused) {
    const submission = o.submission.startsWith('ref:') ? o.submission : resolve(o.submission);
    const plan = await buildPlan({ ...o.choices, mode: o.mode, submission, ...(configFile !== undefined && { configFile }) });
    const max = o.mode === 'grade' ? 100 : plan.checks.reduce((s, c) => s + c.maxPoints, 0);
    await writeOutputs(o, notGradedSummary(sandbox.refused), notGradedClassroomResult(sandbox.refused, max));
    write(`::error title=heapgrade: not graded::${sandbox.refused.replace(/%/g, '%25')}\n`);
    return { notGraded: sandbox.refused };
  }
  const isolated = await gradeIsolated(o.submission, {
    mode: o.mode,
    configPath: o.configPath,
    timeoutMs: o.timeoutMs,
    // The platform stops everything at its own wall clock: the backstop is that budget, so results are still written.
    wallBackstopMs: o.timeoutMs,
    memoryMb: o.memoryMb,
    ...(o.choices && { choices: o.choices }),
    sandbox: sandbox.mode,
  });
  const report = reportFromIsolated(isolated);
  const printed = [isolated.stdout, isolated.stderr].filter((s) => s.trim()).join('\n');
  if (printed) {
    write('Output of your allocator:\n');
    write(wrapUntrusted(printed, randomBytes(18).toString('base64url')));
  }
  // Student text inside check outputs also goes through a stop-commands block.
  const checkOutput = report.checks.filter((c) => c.output).map((c) => `[${c.name}]\n${c.output}`).join('\n');
  if (checkOutput) write(wrapUntrusted(checkOutput, randomBytes(18).toString('base64url')));
  const file = o.submission.startsWith('ref:') ? o.submission : relative(process.cwd(), entryFile(o.submission)) || '.';
  for (const line of toAnnotations(report, { file })) write(`${line}\n`);
  // The protections under the table: a student (and the staff) can see what confined this grade.
  const protections = isolated.protections ? describeProtections(isolated.protections) : undefined;
  await writeOutputs(o, `${toStepSummary(report)}${protections ? `\n${protections}\n` : ''}`, encodeClassroomResult(report, isolated.plan?.config ?? config));
  if (protections) write(`heapgrade: ${protections}\n`);
  write(`heapgrade: ${isolated.outcome} (${report.status})\n`);
  return { report, isolated };
}

/** What the annotations point at: the file itself, or a folder's entry (its allocator.ts or index.ts, else its first .c file). */
function entryFile(submission: string): string {
  if (!existsSync(submission) || !statSync(submission).isDirectory()) return submission;
  const names = readdirSync(submission).sort();
  const entry = TS_ENTRIES.find((n) => names.includes(n)) ?? names.find((n) => n.endsWith('.c'));
  return entry ? join(submission, entry) : submission;
}

async function writeOutputs(o: ClassroomRunOptions, summary: string, result: string): Promise<void> {
  const summaryFile = o.summaryFile ?? process.env.GITHUB_STEP_SUMMARY;
  if (summaryFile) await appendFile(summaryFile, summary);
  const outputFile = o.outputFile ?? process.env.GITHUB_OUTPUT;
  if (outputFile) await appendFile(outputFile, `result=${result}\n`);
}
