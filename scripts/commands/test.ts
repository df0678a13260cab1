/** `heapgrade test [submission]`: the correctness suite, a verdict per check. */
import { writeFileSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { REPORTERS, type ReporterName } from '../../harness/platform/reporters.ts';
import { useColor } from '../../harness/report/color.ts';
import { formatTestReport } from '../../harness/report/test-text.ts';
import { runTests } from '../../harness/runner/run-tests.ts';
import { checkerFromArgs, withCheckerFlags, type CheckerArgs } from './checker-flags.ts';
import { resolveSubmissionArg } from './submission-arg.ts';

interface TestArgs extends CheckerArgs {
  submission?: string;
  json: boolean;
  check?: string[];
  'call-timeout': number;
  repro: string;
  color?: boolean;
  jobs?: number;
  compiler?: string;
  reporter?: string;
  output?: string;
}

export const testCommand: CommandModule<object, TestArgs> = {
  command: 'test [submission]',
  describe: 'run the correctness checks on an allocator (default: ./allocator.ts, ./mm.c, or the bundled example)',
  builder: (y) =>
    withCheckerFlags(
      y
        .positional('submission', { type: 'string', describe: 'a .ts/.js/.c file, a folder, or ref:NAME' })
        .option('json', { type: 'boolean', default: false, describe: 'print the machine-readable report (stable fields, see README)' })
        .option('reporter', { type: 'string', choices: Object.keys(REPORTERS), describe: 'print the report in a platform format instead (junit, gradescope, prairielearn, github, classroom)' })
        .option('output', { type: 'string', describe: 'with --reporter: write to this file instead of stdout' })
        .option('check', { type: 'string', array: true, describe: 'run only these checks (names from the table)' })
        .option('call-timeout', { type: 'number', default: 2000, describe: 'milliseconds a single call may take' })
        .option('repro', { type: 'string', default: '.heapgrade/repro', describe: 'folder for the minimal failing traces' })
        .option('jobs', { type: 'number', describe: 'worker threads (default: up to 2)' })
        .option('compiler', { type: 'string', choices: ['auto', 'yowasp', 'system'], describe: 'C only: system clang+wasm-ld, or the bundled @yowasp/clang (default auto)' })
        .option('color', { type: 'boolean', describe: 'colours (default: on a terminal, unless NO_COLOR)' }),
    ),
  handler: async (args) => {
    const spec = resolveSubmissionArg(args.submission);
    const report = await runTests(spec, {
      checker: checkerFromArgs(args),
      limit: args.limit,
      seed: args.seed,
      checks: args.check,
      callTimeoutMs: args['call-timeout'],
      reproDir: args.repro,
      jobs: args.jobs,
      compiler: args.compiler,
    });
    if (args.reporter) {
      const text = REPORTERS[args.reporter as ReporterName](report);
      if (args.output) writeFileSync(args.output, text);
      else process.stdout.write(text);
    } else if (args.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else process.stdout.write(`${formatTestReport(report, { color: useColor(process.stdout, args.color) })}\n`);
    process.exitCode = report.error && report.status === 'fail' ? 2 : report.status === 'pass' ? 0 : report.status === 'fail' ? 1 : 3;
  },
};
