/**
 * `heapgrade trace [TRACES...] [submission]`: replay .rep traces (files,
 * folders of them, bundled sets) on one allocator under the full checker,
 * in one process, with a row per trace like mdriver's table.
 */
import type { CommandModule } from 'yargs';
import { startTraceWorker } from '../../harness/runner/isolated-replayer.ts';
import { sortTraceArgs, TRACE_SETS, type TraceFiles } from '../../harness/trace-set/inputs.ts';
import type { TraceRow } from '../../harness/trace-set/run-traces.ts';
import type { WatchedWorker } from '../../harness/runner/watched-worker.ts';
import { CALL_TIMEOUT_OPTION, checkerFromArgs, withCheckerFlags, type CheckerArgs } from './checker-flags.ts';
import { resolveSubmissionArg } from './submission-arg.ts';
import { commandPlan, withProfileFlag, type ProfileArgs } from './profile-flag.ts';
import type { CompilerChoice } from '../../harness/wasm/toolchain.ts';

interface TraceArgs extends CheckerArgs, ProfileArgs {
  paths: string[];
  set?: string | string[];
  config?: string;
  json: boolean;
  color?: boolean;
  'sweep-every'?: number;
  'call-timeout'?: number;
  compiler?: string;
  generation: 'auto' | '2002' | '2010' | '2016';
}

/** The stable `--json` shape of one trace (DESIGN.md), plus sbrkCalls, seconds and output. */
function rowJson(row: TraceRow, submission: string, version: number): object {
  return {
    version,
    trace: row.file ?? row.name,
    submission,
    ops: row.ops,
    status: row.status,
    ...(row.error !== undefined && { error: row.error }),
    ...(row.warnings && { warnings: row.warnings }),
    utilization: row.utilization,
    peakPayload: row.peakPayload,
    peakHeap: row.peakHeap,
    violations: row.violation ? [row.violation] : [],
    sbrkCalls: row.sbrkCalls,
    seconds: row.seconds,
    output: row.output,
  };
}

export const traceCommand: CommandModule<object, TraceArgs> = {
  command: 'trace [paths..]',
  describe: 'replay malloclab .rep traces (files, folders, --set classic) on an allocator under the full checker: a row per trace like mdriver',
  builder: (y) =>
    withCheckerFlags(
      withProfileFlag(y)
        .positional('paths', {
          type: 'string',
          array: true,
          default: [],
          describe: '.rep files and folders of them, then optionally the allocator (default: ./allocator.ts, ./mm.c, ./alloc.c)',
        })
        .option('set', {
          type: 'string',
          choices: TRACE_SETS,
          describe:
            "add a bundled set: classic (synthetic look-alikes of the 11 CS:APP traces, not the real ones: utilization can differ by tens of points; grade with the course's own traces: trace mm.c traces/*.rep), workloads (the kit's own); repeatable",
        })
        .option('config', { type: 'string', describe: "the assignment's configuration (default: ./heapgrade.config.json or .ts when present): alignment, heap limit, time limit, policy" })
        .option('json', { type: 'boolean', default: false, describe: 'one object for one trace, an array for several' })
        .option('generation', { type: 'string', choices: ['auto', '2002', '2010', '2016'] as const, default: 'auto' as const, describe: 'the .rep header layout (default: detected from the header)' })
        .option('sweep-every', { type: 'number', describe: 'verify every live block after every N operations' })
        .option('call-timeout', CALL_TIMEOUT_OPTION)
        .option('compiler', { type: 'string', choices: ['auto', 'yowasp', 'system'], describe: 'C only: system clang+wasm-ld, or the bundled @yowasp/clang (default auto)' })
        .option('color', { type: 'boolean' })
        .example('$0 trace .heapgrade/repro/churn.rep', 'replay a saved repro on ./allocator.ts')
        .example('$0 trace --set classic mm.c', 'synthetic look-alikes of the 11 classic traces on mm.c, one table')
        .example('$0 trace mm.c traces/*.rep --profile auto', "a course's real traces, read as its handout's mdriver reads them")
        .example('$0 trace traces/ mm.c --json', 'every .rep file in traces/, as a JSON array'),
    ),
  handler: async (args) => {
    const sets = args.set === undefined ? [] : [args.set].flat();
    const given = sortTraceArgs(args.paths, sets);
    const spec = resolveSubmissionArg(given.submission, { usage: 'trace FILE.rep path/to/allocator.ts' });
    // The replay worker starts first: its thread's start and its modules (about 0.1 s) run beside this thread's
    // own imports, plan and parsing below; the replayer hands it the plan's way of loading with the first trace.
    const worker = startTraceWorker(spec);
    try {
      await traceWith(args, given, spec, worker);
    } finally {
      await worker.terminate();
    }
  },
};

async function traceWith(args: TraceArgs, given: TraceFiles, spec: string, worker: WatchedWorker<object>): Promise<void> {
  const [{ checkerFromConfig }, { useColor }, { formatTraceTable }, { RESULT_VERSION }, { readTracesEach }, { runTraceSet }] = await Promise.all([
    import('../../harness/config/test-options.ts'),
    import('../../harness/report/color.ts'),
    import('../../harness/trace-set/trace-table.ts'),
    import('../../harness/report/types.ts'),
    import('../../harness/trace-set/inputs.ts'),
    import('../../harness/trace-set/run-traces.ts'),
  ]);
  // The grading plan, by the one builder (harness/plan/build.ts): the profile (flag, else the configuration's; `auto` from the
  // submission, once) sets the data model, heap limit and alignment, and how the traces are read (as the handout's mdriver
  // reads them, under the malloclab profiles); a flag given on the command line wins over the configuration. No checks: traces only.
  const plan = await commandPlan({
    mode: 'test',
    submission: spec,
    skipChecks: true,
    ...(args.config !== undefined && { configFile: args.config }),
    ...(args.profile !== undefined && { profile: args.profile }),
    ...(args.seed !== undefined && { seed: args.seed }),
    ...(args['check-heap'] !== undefined && { checkHeap: args['check-heap'] }),
    ...(args.compiler !== undefined && { compiler: args.compiler as CompilerChoice }),
    overrides: { ...checkerFromArgs(args), heapLimit: args.limit, callTimeoutMs: args['call-timeout'] },
  });
  // Read while the replay worker loads the submission, and while it replays the first (runTraceSet awaits each in turn).
  const traces = readTracesEach(given, { generation: args.generation, reading: plan.traceReading });
  const result = await runTraceSet(spec, traces, {
    seed: plan.seed,
    limit: plan.config.heapLimit,
    // As mdriver: NULL for a request the heap limit could hold fails the trace (out-of-memory).
    checker: { ...checkerFromConfig(plan.config), checkHeap: plan.checkHeap, nullFails: true },
    sweepEvery: args['sweep-every'],
    callTimeoutMs: plan.config.callTimeoutMs,
    compiler: plan.compiler,
    profile: plan.profile,
    worker,
    // On a terminal, a line per finished trace: a C allocator on a long set takes a while.
    onRow: process.stderr.isTTY
      ? (row, i, total) => process.stderr.write(`  [${i + 1}/${total}] ${row.name}: ${row.status === 'pass' ? 'valid' : row.status === 'error' ? 'not read' : 'invalid'}\n`)
      : undefined,
  });
  if (args.json) {
    const rows = result.rows.map((r) => rowJson(r, spec, RESULT_VERSION));
    process.stdout.write(`${JSON.stringify(rows.length === 1 ? rows[0] : rows, null, 2)}\n`);
  } else {
    process.stdout.write(formatTraceTable(result, { color: useColor(process.stdout, args.color) }));
  }
  // A trace that could not be read is bad input (2), after the others' results; an invalid one is 1.
  process.exitCode = result.rows.some((r) => r.status === 'error') ? 2 : result.total.valid === result.total.traces ? 0 : 1;
}
