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
import { profiledConfig, withProfileFlag, type ProfileArgs } from './profile-flag.ts';

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

interface TestArgs extends CheckerArgs, EmitArgs, ProfileArgs {
  submission?: string;
  check?: string[];
  'call-timeout'?: number;
  config?: string;
  repro: string;
  color?: boolean;
  jobs?: number;
  compiler?: string;
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
        .option('color', { type: 'boolean', describe: 'colours (default: on a terminal, unless NO_COLOR)' }),
    ),
  handler: async (args) => {
    const spec = resolveSubmissionArg(args.submission);
    const { config } = await profiledConfig(await loadConfig(args.config, KNOWN_NAMES), args, spec);
    // A flag given on the command line wins over the configuration.
    const report = await runTests(
      spec,
      testOptionsFromConfig(config, {
        checker: checkerFromArgs(args),
        limit: args.limit,
        callTimeoutMs: args['call-timeout'],
        seed: args.seed,
        checks: args.check,
        reproDir: args.repro,
        jobs: args.jobs,
        compiler: args.compiler,
      }),
    );
    emitReport(report, args, () => formatTestReport(report, { color: useColor(process.stdout, args.color) }));
    process.exitCode = exitCodeFor(report);
  },
};
