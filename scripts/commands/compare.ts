/**
 * `heapgrade compare [submissions...] --trace FILE`: first, next, best and
 * worst fit and any submissions on one trace, side by side. Without
 * --trace it runs the seed's 64 KB placement example (placement-64k).
 */
import type { CommandModule } from 'yargs';
import { loadSubmission } from '../../harness/loader/load.ts';
import { compareAllocators, PLACEMENT_ALLOCATORS, type Comparison } from '../../harness/visual/compare.ts';
import { formatBytes, formatPercent, padLeft, padRight } from '../../harness/util/format.ts';
import { writeHtmlReport } from '../../harness/visual/html/report.ts';
import { resolveTrace } from '../../harness/visual/trace-source.ts';
import { checkerFromArgs, withCheckerFlags, type CheckerArgs } from './checker-flags.ts';
import { localSubmission } from './submission-arg.ts';

export interface CompareArgs extends CheckerArgs {
  submissions: string[];
  trace: string;
  placement: boolean;
  html?: string;
  json: boolean;
}

export const DEMO_TRACE = 'placement-64k';

export const compareCommand: CommandModule<object, CompareArgs> = {
  command: 'compare [submissions..]',
  describe: 'run first/next/best/worst fit and your allocators on one trace: utilization, peak heap, largest hole',
  builder: (y) =>
    withCheckerFlags(y)
      .positional('submissions', { type: 'string', array: true, default: [] as string[], describe: 'more allocators: paths or ref:NAME (default: ./allocator.ts, ./mm.c, ./alloc.c when present)' })
      .option('trace', { type: 'string', default: DEMO_TRACE, describe: 'a .rep file or a workload name (default: the 64 KB placement example)' })
      .option('placement', { type: 'boolean', default: true, describe: 'include the teaching allocators (--no-placement to leave them out)' })
      .option('html', { type: 'string', describe: 'also write an HTML report with each allocator’s heap over time' })
      .option('json', { type: 'boolean', default: false, describe: 'print the comparison as JSON' }),
  handler: async (args) => {
    const { trace, limit } = await resolveTrace(args.trace);
    // No allocator named: the student's own (./allocator.ts, ./mm.c, ...), as show and trace take it.
    const mine = args.submissions.length > 0 ? args.submissions : [localSubmission()].filter((s): s is string => s !== undefined);
    const specs = [...(args.placement ? PLACEMENT_ALLOCATORS : []), ...mine];
    const loaded = [];
    for (const s of specs) loaded.push(await loadSubmission(s));
    const effectiveLimit = args.limit ?? limit; // the workload's own limit unless --limit says otherwise
    const comparison = compareAllocators(loaded, trace, {
      seed: args.seed ?? 1,
      checker: checkerFromArgs(args),
      timelines: args.html !== undefined,
      ...(effectiveLimit !== undefined && { limit: effectiveLimit }),
    });
    if (args.html) {
      await writeHtmlReport(args.html, {
        title: `heapgrade compare: ${trace.name}`,
        comparison: { ...comparison, rows: comparison.rows.map(({ timeline: _t, ...row }) => row) },
        timelines: comparison.rows.flatMap((r) => (r.timeline ? [{ name: r.label, timeline: r.timeline }] : [])),
      });
    }
    if (args.json) {
      const rows = comparison.rows.map(({ timeline: _t, ...row }) => row);
      process.stdout.write(JSON.stringify({ version: 1, ...comparison, rows }, null, 2) + '\n');
    } else {
      process.stdout.write(formatComparison(comparison));
      if (args.html) process.stdout.write(`\nHTML report: ${args.html}\n`);
    }
  },
};

/** The comparison as a terminal table. */
export function formatComparison(c: Comparison): string {
  const head = ['allocator', 'status', 'util', 'peak heap', 'NULLs', 'live', 'gaps', 'largest hole'];
  const rows = c.rows.map((r) => [
    r.label,
    r.violation ? `fail: ${r.violation.kind} at op #${r.violation.op}` : 'pass',
    formatPercent(r.utilization),
    formatBytes(r.peakHeap),
    String(r.nulls),
    r.gaps ? formatBytes(r.gaps.payload) : '-',
    r.gaps ? formatBytes(r.gaps.gapBytes) : '-',
    r.gaps?.largest ? formatBytes(r.gaps.largest.size) : '-',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((cell, i) => (i < 2 ? padRight(cell, widths[i]!) : padLeft(cell, widths[i]!))).join('  ').trimEnd();
  return [
    `Trace ${c.trace}: ${c.ops} operations, heap limit ${formatBytes(c.limit)}`,
    '',
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `live, gaps and largest hole: after op #${c.measuredAt} (${c.measuredOp}), the last allocating operation.`,
    'largest hole = the largest gap between consecutive live payloads (or between the last payload and brk);',
    'NULLs = requests answered with NULL because the heap limit was reached (not a failure).',
    '',
  ].join('\n');
}

export default compareCommand;
