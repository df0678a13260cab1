/**
 * `heapgrade show TRACE [submission] --at N`: the heap after operation N
 * (or at the violation that stops the replay first), as a heap map.
 */
import type { CommandModule } from 'yargs';
import { loadSubmission } from '../../harness/loader/load.ts';
import { renderHeapMap } from '../../harness/heap-map/heap-map.ts';
import { snapshotAt } from '../../harness/visual/snapshot.ts';
import { resolveTrace } from '../../harness/visual/trace-source.ts';
import { UsageError } from '../../harness/util/errors.ts';
import { checkerFromArgs, withCheckerFlags, type CheckerArgs } from './checker-flags.ts';
import { resolveSubmissionArg } from './submission-arg.ts';
import { useColor } from '../../harness/report/color.ts';

export interface ShowArgs extends CheckerArgs {
  trace: string;
  submission?: string;
  at: number;
  width: number;
  context: number;
  color?: boolean;
  json: boolean;
}

export const showCommand: CommandModule<object, ShowArgs> = {
  command: 'show <trace> [submission]',
  describe: 'draw the heap after operation N of a trace (a .rep file or a workload name)',
  builder: (y) =>
    withCheckerFlags(y)
      .positional('trace', { type: 'string', demandOption: true, describe: 'a .rep file, or a built-in workload name (e.g. placement-64k)' })
      .positional('submission', { type: 'string', describe: 'allocator: a path or ref:NAME (default: ./allocator.ts, ./mm.c, ./alloc.c)' })
      .option('at', { type: 'number', demandOption: true, describe: 'operation index (0-based); negative counts from the end (-1 = last)' })
      .option('width', { type: 'number', default: 72, describe: 'characters of the heap bar' })
      .option('context', { type: 'number', default: 6, describe: 'live blocks shown on each side of the focus' })
      .option('color', { type: 'boolean', describe: 'ANSI colours (default: when stdout is a terminal and NO_COLOR is unset)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the snapshot as JSON' }),
  handler: async (args) => {
    const { trace, limit } = await resolveTrace(args.trace);
    const n = args.at < 0 ? trace.ops.length + args.at : args.at;
    if (!Number.isInteger(args.at)) throw new UsageError(`Expected --at to be an integer operation index, got ${args.at}`);
    const spec = resolveSubmissionArg(args.submission, { usage: `show ${args.trace} path/to/allocator.ts` });
    const loaded = await loadSubmission(spec);
    const heapLimit = args.limit ?? limit; // the workload's own limit unless --limit says otherwise
    const result = snapshotAt(loaded, trace.ops, n, {
      seed: args.seed ?? 1,
      checker: checkerFromArgs(args),
      ...(heapLimit !== undefined && { limit: heapLimit }),
    });
    if (args.json) {
      process.stdout.write(JSON.stringify({ version: 1, trace: trace.name, submission: spec, ...result }, null, 2) + '\n');
    } else {
      const color = useColor(process.stdout, args.color);
      const title = `Heap of ${spec} after op #${result.op} of ${trace.name} (${trace.ops.length} ops)`;
      const focus = result.violation ?? result.focus;
      process.stdout.write(renderHeapMap(result.snapshot, { title, width: args.width, context: args.context, color, ...(focus && { focus }) }));
      if (result.violation) {
        const v = result.violation;
        process.stdout.write(`\nStopped at op #${v.op}, before op #${n}: ${v.kind}\n${v.message}\n${v.hint ? `Hint: ${v.hint}\n` : ''}`);
      }
    }
    if (result.violation) process.exitCode = 1;
  },
};

export default showCommand;
