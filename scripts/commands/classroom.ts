/** `heapgrade classroom [submission]`: the grading step of the GitHub Classroom workflow (.github/workflows/classroom.yml in each student template). */
import { dirname } from 'node:path';
import type { CommandModule } from 'yargs';
import { runClassroom } from '../../harness/platform/run-classroom.ts';
import { resolveSubmissionArg } from './submission-arg.ts';

interface ClassroomArgs {
  submission?: string;
  config?: string;
  'tests-only': boolean;
  timeout: number;
  memory: number;
  summary?: string;
  output?: string;
  sandbox?: 'required' | 'auto' | 'off';
}

export const classroomCommand: CommandModule<object, ClassroomArgs> = {
  command: 'classroom [submission]',
  describe: 'grade in GitHub Actions: step summary, ::error annotations, and the result for the Classroom reporter',
  builder: (y) =>
    y
      .positional('submission', { type: 'string', describe: 'a folder or a .ts/.js/.c file (default: this folder, when it holds allocator.ts, mm.c, alloc.c or index.ts)' })
      .option('config', { type: 'string', describe: 'assignment configuration' })
      .option('tests-only', { type: 'boolean', default: false, describe: 'correctness checks only' })
      .option('timeout', { type: 'number', default: 600, describe: 'seconds for the whole grade' })
      .option('memory', { type: 'number', default: 1024, describe: 'MiB for the graded process' })
      .option('sandbox', { choices: ['required', 'auto', 'off'] as const, describe: 'OS sandbox per graded child (bubblewrap, a cgroup, user nobody): required writes a step summary that explains when it cannot start, auto grades with the protections that remain and says which (default: the configuration\'s "sandbox", else auto), off runs it unconfined' })
      .option('summary', { type: 'string', describe: 'Markdown summary file (default: $GITHUB_STEP_SUMMARY)' })
      .option('output', { type: 'string', describe: 'step output file for result=... (default: $GITHUB_OUTPUT)' }),
  handler: async (args) => {
    // Without an argument, the folder of the student's allocator, as Gradescope grades the submission folder: code split into
    // files of the student's own grades the same on both (a single file reads only itself, for a folder of single-file submissions).
    const submission = args.submission ?? dirname(resolveSubmissionArg(undefined, { usage: 'classroom src/' }));
    const run = await runClassroom({
      submission,
      configPath: args.config,
      mode: args['tests-only'] ? 'test' : 'grade',
      timeoutMs: args.timeout * 1000,
      memoryMb: args.memory,
      summaryFile: args.summary,
      outputFile: args.output,
      sandbox: args.sandbox,
    });
    // Not graded (the sandbox the course requires is refused): the staff's set-up, exit 2 like any usage error.
    if (run.notGraded !== undefined) process.exitCode = 2;
    else process.exitCode = run.report.status === 'pass' ? 0 : run.report.status === 'fail' ? 1 : 3;
  },
};
