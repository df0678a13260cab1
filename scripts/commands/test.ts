/** `heapgrade test [submission]`: the correctness suite, a verdict per check. */
import type { CommandModule } from 'yargs';
import { useColor } from '../../harness/report/color.ts';
import { formatTestReport } from '../../harness/report/test-text.ts';
import { runTests } from '../../harness/runner/run-tests.ts';
import { checkerFromArgs, withCheckerFlags, type CheckerArgs } from './checker-flags.ts';
import { resolveSubmissionArg } from './submission-arg.ts';
import { listOption } from './list-option.ts';
import { emitReport, exitCodeFor, withReportFlags, type EmitArgs } from './emit-report.ts';
import { loadConfig } from '../../harness/config/load.ts';
import { KNOWN_NAMES, testOptionsFromConfig } from '../../harness/config/test-options.ts';
import { gradeIsolated } from '../../harness/isolation/run-isolated.ts';
import { reportFromIsolated } from '../../harness/platform/common.ts';
import type { TestReport } from '../../harness/report/types.ts';
import { describeProtections } from '../../harness/sandbox/protections.ts';
import { checkSandboxAvailable } from '../../harness/sandbox/sandbox.ts';
import { UsageError } from '../../harness/util/errors.ts';
import { profiledConfig, withProfileFlag, type ProfileArgs } from './profile-flag.ts';

interface TestArgs extends CheckerArgs, EmitArgs, ProfileArgs {
  submission?: string;
  check?: string[];
  'call-timeout'?: number;
  config?: string;
  repro: string;
  color?: boolean;
  jobs?: number;
  compiler?: string;
  sandbox?: string;
}

export const testCommand: CommandModule<object, TestArgs> = {
  command: 'test [submission]',
  describe: 'run the correctness checks on an allocator (default: ./allocator.ts, ./mm.c, or the bundled example)',
  builder: (y) =>
    withCheckerFlags(
      withProfileFlag(withReportFlags(y))
        .positional('submission', { type: 'string', describe: 'a .ts/.js/.c file, a folder, or ref:NAME' })
        .option('check', listOption('run only these checks (names from the table)'))
        .option('config', { type: 'string', describe: "the assignment's configuration (default: ./heapgrade.config.json or .ts when present): policy, heap limit, time limit, points" })
        .option('call-timeout', { type: 'number', describe: 'milliseconds a single call may take (default: the configuration\'s, else 2000)' })
        .option('repro', { type: 'string', default: '.heapgrade/repro', describe: 'folder for the minimal failing traces' })
        .option('jobs', { type: 'number', describe: 'worker threads (default: up to 2)' })
        .option('compiler', { type: 'string', choices: ['auto', 'yowasp', 'system'], describe: 'C only: system clang+wasm-ld, or the bundled @yowasp/clang (default auto)' })
        .option('sandbox', { type: 'string', describe: 'run the allocator in the OS sandbox, as the graders do: --sandbox (= auto: warn where unavailable), --sandbox required, or off (default: in this process)' })
        .option('color', { type: 'boolean', describe: 'colours (default: on a terminal, unless NO_COLOR)' }),
    ),
  handler: async (args) => {
    const spec = resolveSubmissionArg(args.submission);
    const { config } = await profiledConfig(await loadConfig(args.config, KNOWN_NAMES), args, spec);
    // A flag given on the command line wins over the configuration.
    const options = testOptionsFromConfig(config, {
      checker: checkerFromArgs(args),
      limit: args.limit,
      callTimeoutMs: args['call-timeout'],
      seed: args.seed,
      checks: args.check,
      reproDir: args.repro,
      jobs: args.jobs,
      compiler: args.compiler,
    });
    const report = args.sandbox !== undefined ? await testInSandbox(spec, args, options) : await runTests(spec, options);
    emitReport(report, args, () => formatTestReport(report, { color: useColor(process.stdout, args.color) }));
    process.exitCode = exitCodeFor(report);
  },
};

/** `--sandbox`: the same checks in an isolated child inside the OS sandbox (no repro files: the child cannot write here). */
async function testInSandbox(spec: string, args: TestArgs, options: ReturnType<typeof testOptionsFromConfig>): Promise<TestReport> {
  const mode = args.sandbox === '' || args.sandbox === 'auto' ? 'auto' : args.sandbox;
  if (mode !== 'required' && mode !== 'off' && mode !== 'auto') throw new UsageError(`--sandbox ${args.sandbox}: expected required, auto or off`);
  checkSandboxAvailable(mode);
  const result = await gradeIsolated(spec, {
    mode: 'test',
    configPath: args.config,
    sandbox: mode,
    gradeOptions: JSON.parse(JSON.stringify({ checker: options.checker, limit: options.limit, callTimeoutMs: options.callTimeoutMs, seed: options.seed, checks: options.checks, jobs: options.jobs, compiler: options.compiler })) as Record<string, unknown>,
  });
  if (result.protections) process.stderr.write(`heapgrade: ${describeProtections(result.protections)}\n`);
  const report = reportFromIsolated(result);
  if (result.outcome !== 'graded' && !report.error) report.error = result.detail;
  return report;
}
