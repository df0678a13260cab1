/** `heapgrade trace FILE.rep [submission]`: replay one trace under the full checker. */
import { basename } from 'node:path';
import type { CommandModule } from 'yargs';
import { resolveCheckerOptions } from '../../harness/checker/options.ts';
import { DEFAULT_HEAP_LIMIT } from '../../harness/heap/sim-heap.ts';
import { styler, useColor } from '../../harness/report/color.ts';
import { RESULT_VERSION } from '../../harness/report/types.ts';
import { formatViolation } from '../../harness/report/violation-text.ts';
import { runTraceIsolated } from '../../harness/runner/run-trace.ts';
import { EXACT_SWEEP_MAX_OPS } from '../../harness/runner/check-runner.ts';
import { readTraceFile } from '../../harness/trace/parse.ts';
import { checkerFromArgs, withCheckerFlags, type CheckerArgs } from './checker-flags.ts';
import { resolveSubmissionArg } from './submission-arg.ts';

interface TraceArgs extends CheckerArgs {
  file: string;
  submission?: string;
  json: boolean;
  color?: boolean;
  'sweep-every'?: number;
  'call-timeout': number;
  compiler?: string;
  generation: 'auto' | '2002' | '2010' | '2016';
}


export const traceCommand: CommandModule<object, TraceArgs> = {
  command: 'trace <file> [submission]',
  describe: 'replay a malloclab .rep trace under the full checker: violations, peak payload, peak heap, utilization',
  builder: (y) =>
    withCheckerFlags(
      y
        .positional('file', { type: 'string', demandOption: true, describe: 'a .rep trace (any malloclab generation)' })
        .positional('submission', { type: 'string', describe: 'allocator (default: ./allocator.ts, ./mm.c, ./alloc.c)' })
        .option('json', { type: 'boolean', default: false })
        .option('generation', { type: 'string', choices: ['auto', '2002', '2010', '2016'] as const, default: 'auto' as const, describe: 'the .rep header layout (default: detected from the header)' })
        .option('sweep-every', { type: 'number', describe: 'verify every live block after every N operations' })
        .option('call-timeout', { type: 'number', default: 2000, describe: 'milliseconds a single call may take' })
        .option('compiler', { type: 'string', choices: ['auto', 'yowasp', 'system'], describe: 'C only: system clang+wasm-ld, or the bundled @yowasp/clang (default auto)' })
        .option('color', { type: 'boolean' }),
    ),
  handler: async (args) => {
    const spec = resolveSubmissionArg(args.submission, { usage: `trace ${args.file} path/to/allocator.ts` });
    const trace = await readTraceFile(args.file, { generation: args.generation });
    const sweepEvery = args['sweep-every'] ?? (trace.ops.length <= EXACT_SWEEP_MAX_OPS ? 1 : 0);
    const checker = resolveCheckerOptions({ ...checkerFromArgs(args), sweepEvery });
    const r = await runTraceIsolated(spec, trace.ops, {
      seed: args.seed ?? 1,
      limit: args.limit ?? DEFAULT_HEAP_LIMIT,
      checker,
      callTimeoutMs: args['call-timeout'],
      compiler: args.compiler,
    });
    const status = r.violation ? 'fail' : 'pass';
    if (args.json) {
      const out = {
        version: RESULT_VERSION,
        trace: args.file,
        submission: spec,
        ops: trace.ops.length,
        status,
        utilization: r.utilization,
        peakPayload: r.peakPayload,
        peakHeap: r.peakHeap,
        violations: r.violation ? [r.violation] : [],
        sbrkCalls: r.stats.sbrkCalls,
        output: r.output || undefined,
      };
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    } else {
      const color = useColor(process.stdout, args.color);
      const s = styler(color);
      const lines = [s('bold', `heapgrade trace ${basename(args.file)} on ${spec}`), ''];
      if (r.violation) {
        lines.push(
          r.violation.op < 0
            ? `${s('red', '✗')} stopped while making the allocator (the factory or mm_init), before operation #0`
            : `${s('red', '✗')} stopped at operation #${r.violation.op} of ${trace.ops.length}`,
        );
        lines.push(formatViolation({ ...r.violation }, { color, snapshot: r.snapshot }));
      } else lines.push(`${s('green', '✓')} ${trace.ops.length} operations, no violation`);
      lines.push('');
      lines.push(`peak live payload ${r.peakPayload} B, peak heap ${r.peakHeap} B, utilization ${(r.utilization * 100).toFixed(1)}%, ${r.stats.sbrkCalls} sbrk calls`);
      if (r.output) lines.push('', 'Your allocator printed:', ...r.output.split('\n').map((l) => `  | ${l}`));
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    process.exitCode = r.violation ? 1 : 0;
  },
};
