/** `heapgrade test [submission]`: the correctness suite, a verdict per check. */
import type { CommandModule } from 'yargs';
import { styler, useColor } from '../../harness/report/color.ts';
import { TestProgress } from '../../harness/report/test-progress.ts';
import { formatTestReport, testHeading } from '../../harness/report/test-text.ts';
import { CHECKS } from '../../suites/correctness/index.ts';
import { runTests } from '../../harness/runner/run-tests.ts';
import { CALL_TIMEOUT_OPTION, checkerFromArgs, withCheckerFlags, type CheckerArgs } from './checker-flags.ts';
import { resolveSubmissionArg } from './submission-arg.ts';
import { listOption } from './list-option.ts';
import { emitReport, exitCodeFor, withReportFlags, type EmitArgs } from './emit-report.ts';
import { configFileFor } from '../../harness/config/load.ts';
import { testOptionsFromPlan } from '../../harness/plan/test-options.ts';
import type { PlanChoices } from '../../harness/plan/build.ts';
import type { CompilerChoice } from '../../harness/wasm/toolchain.ts';
import { gradeIsolated } from '../../harness/isolation/run-isolated.ts';
import { reportFromIsolated } from '../../harness/platform/common.ts';
import type { TestReport } from '../../harness/report/types.ts';
import { describeProtections } from '../../harness/sandbox/protections.ts';
import { checkSandboxAvailable } from '../../harness/sandbox/sandbox.ts';
import { UsageError } from '../../harness/util/errors.ts';
import { commandPlan, withProfileFlag, type ProfileArgs } from './profile-flag.ts';

interface TestArgs extends CheckerArgs, EmitArgs, ProfileArgs {
  submission?: string;
  check?: string[];
  'call-timeout'?: number;
  config?: string;
  repro: string;
  color?: boolean;
  jobs?: number;
  compiler?: string;
  example?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  sandbox?: string;
}

function startLiveOutput(spec: string, only: string[] | undefined, color: boolean): TestProgress {
  const names = only ?? CHECKS.map((c) => c.name);
  const width = Math.max(...names.map((n) => n.length));
  process.stdout.write(`${testHeading(spec, styler(color))}\n\n`);
  return new TestProgress(process.stdout, { spec, width, color });
}

export const testCommand: CommandModule<object, TestArgs> = {
  command: 'test [submission]',
  describe: 'run the correctness checks on an allocator (default: ./allocator.ts, ./mm.c, ./alloc.c; --example for the bundled one)',
  builder: (y) =>
    withCheckerFlags(
      withProfileFlag(withReportFlags(y))
        .positional('submission', { type: 'string', describe: 'a .ts/.js/.c file, a folder, or ref:NAME' })
        .option('example', { type: 'boolean', describe: "test the kit's bundled example allocator (student-template/ts/allocator.ts)" })
        .option('check', listOption('run only these checks (names from the table)'))
        .option('config', { type: 'string', describe: "the assignment's configuration (default: ./heapgrade.config.json or .ts when present): policy, heap limit, time limit, points" })
        .option('call-timeout', CALL_TIMEOUT_OPTION)
        .option('repro', { type: 'string', default: '.heapgrade/repro', describe: 'folder for the minimal failing traces' })
        .option('jobs', { type: 'number', describe: 'worker threads (default: up to 2)' })
        .option('compiler', { type: 'string', choices: ['auto', 'yowasp', 'system'], describe: 'C only: system clang+wasm-ld, or the bundled @yowasp/clang (default auto)' })
        .option('sandbox', { type: 'string', describe: 'run the allocator in the OS sandbox, as the graders do: --sandbox (= auto: warn where unavailable), --sandbox required, or off (default: in this process)' })
        .option('color', { type: 'boolean', describe: 'colours (default: on a terminal, unless NO_COLOR)' })
        .option('quiet', { alias: 'q', type: 'boolean', describe: 'print only the failures and the verdict, nothing while it runs' })
        .option('verbose', { type: 'boolean', describe: "also show what your allocator printed under passing checks (first lines)" }),
    ),
  handler: async (args) => {
    const spec = resolveSubmissionArg(args.submission, { usage: 'test path/to/allocator.ts', example: args.example });
    // Every flag that can change a verdict goes into the grading plan (a flag wins over the configuration), made by the same builder as every other front end's.
    const choices: PlanChoices = {
      ...(args.profile !== undefined && { profile: args.profile }),
      ...(args.check && { checks: args.check }),
      ...(args.seed !== undefined && { seed: args.seed }),
      ...(args['check-heap'] !== undefined && { checkHeap: args['check-heap'] }),
      ...(args.compiler !== undefined && { compiler: args.compiler as CompilerChoice }),
      overrides: { ...checkerFromArgs(args), heapLimit: args.limit, callTimeoutMs: args['call-timeout'] },
    };
    const plan = await commandPlan({ mode: 'test', submission: spec, ...(args.config !== undefined && { configFile: args.config }), ...choices });
    const color = useColor(process.stdout, args.color);
    if (args.sandbox !== undefined) {
      // The profile as this plan decided it (`auto` once, here): the child's plan is built from the same choices.
      const report = await testInSandbox(spec, args, { ...choices, profile: plan.profile });
      emitReport(report, args, plan.config, () => formatTestReport(report, { color, quiet: args.quiet, verbose: args.verbose }));
      process.exitCode = exitCodeFor(report);
      return;
    }
    // Rows as the checks finish, and a status line on a terminal; never under --json, --reporter or --quiet, whose output is read by programs or wants only the verdict.
    const live = !args.json && !args.reporter && !args.quiet ? startLiveOutput(spec, args.check, color) : undefined;
    const report = await runTests(
      spec,
      testOptionsFromPlan(plan, {
        onResult: live ? (r) => live.result(r) : undefined,
        onProgress: live ? (p) => live.progress(p) : undefined,
        reproDir: args.repro,
        jobs: args.jobs,
      }),
    );
    live?.end();
    // A load error streamed no rows: its report has its own heading.
    const rowsStreamed = live !== undefined && report.checks.length > 0;
    emitReport(report, args, plan.config, () => formatTestReport(report, { color, rowsStreamed, headingShown: live !== undefined, quiet: args.quiet, verbose: args.verbose }));
    process.exitCode = exitCodeFor(report);
  },
};

/** `--sandbox`: the same checks in an isolated child inside the OS sandbox (no repro files: the child cannot write here). */
async function testInSandbox(spec: string, args: TestArgs, choices: PlanChoices): Promise<TestReport> {
  const mode = args.sandbox === '' || args.sandbox === 'auto' ? 'auto' : args.sandbox;
  if (mode !== 'required' && mode !== 'off' && mode !== 'auto') throw new UsageError(`--sandbox ${args.sandbox}: expected required, auto or off`);
  checkSandboxAvailable(mode);
  const result = await gradeIsolated(spec, {
    mode: 'test',
    // The child runs in another folder: it gets the plan of the configuration found here, and the profile chosen here.
    configPath: configFileFor(args.config),
    sandbox: mode,
    choices,
    ...(args.jobs !== undefined && { request: { jobs: args.jobs } }),
  });
  if (result.protections) process.stderr.write(`heapgrade: ${describeProtections(result.protections)}\n`);
  const report = reportFromIsolated(result);
  if (result.outcome !== 'graded' && !report.error) report.error = result.detail;
  return report;
}
