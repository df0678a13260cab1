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
import { relative } from 'node:path';
import { gradeIsolated, type IsolatedResult } from '../isolation/run-isolated.ts';
import { reportFromIsolated, type PlatformReport } from './common.ts';
import { defaultSandbox } from '../batch/run-batch.ts';
import type { SandboxMode } from '../sandbox/probe.ts';
import { describeProtections } from '../sandbox/protections.ts';
import { checkSandboxAvailable } from '../sandbox/sandbox.ts';
import { encodeClassroomResult, toAnnotations, toStepSummary, wrapUntrusted } from './github.ts';

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
  /** Passed to gradeSubmission/runTests (e.g. `checks`). */
  gradeOptions?: Record<string, unknown>;
  /** The OS sandbox (harness/sandbox). @default 'required' on Linux, 'auto' elsewhere */
  sandbox?: SandboxMode;
}

export async function runClassroom(o: ClassroomRunOptions): Promise<{ report: PlatformReport; isolated: IsolatedResult }> {
  const write = o.write ?? ((t: string) => void process.stdout.write(t));
  const sandbox = o.sandbox ?? defaultSandbox();
  checkSandboxAvailable(sandbox);
  const isolated = await gradeIsolated(o.submission, {
    mode: o.mode,
    configPath: o.configPath,
    timeoutMs: o.timeoutMs,
    memoryMb: o.memoryMb,
    gradeOptions: o.gradeOptions,
    sandbox,
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
  const file = o.submission.startsWith('ref:') ? o.submission : relative(process.cwd(), o.submission) || '.';
  for (const line of toAnnotations(report, { file })) write(`${line}\n`);
  const summaryFile = o.summaryFile ?? process.env.GITHUB_STEP_SUMMARY;
  if (summaryFile) await appendFile(summaryFile, toStepSummary(report));
  const outputFile = o.outputFile ?? process.env.GITHUB_OUTPUT;
  if (outputFile) await appendFile(outputFile, `result=${encodeClassroomResult(report)}\n`);
  if (isolated.protections) write(`heapgrade: ${describeProtections(isolated.protections)}\n`);
  write(`heapgrade: ${isolated.outcome} (${report.status})\n`);
  return { report, isolated };
}
