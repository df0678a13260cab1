/**
 * Grading one workload: replay under the full checker (violations and
 * utilization); its metered cost per operation (C instructions, TypeScript
 * steps with heap work) against the reference's on the same trace is the
 * speed, unless the configuration asks for the wall clock. Returns a WorkloadResult without the scores, which
 * grade.ts fills in once the configuration's thresholds apply.
 */
import { emptyWorkloadResult } from '../plan/score.ts';
import type { CheckerOptions } from '../checker/options.ts';
import type { Violation } from '../checker/violation.ts';
import type { Config } from '../config/types.ts';
import type { PlannedWorkload } from '../config/workloads.ts';
import type { LoadedSubmission } from '../contract/instance.ts';
import type { WorkloadResult } from '../report/types.ts';
import type { IsolatedReplayer } from '../runner/isolated-replayer.ts';
import { BackstopError } from '../runner/timeouts.ts';
import { costRatio, meteredCostPerOp } from '../scoring/cost.ts';
import { referenceCost } from './reference-cost.ts';
import { measureThroughput } from '../scoring/throughput.ts';
import { readTraceFile, type TraceReading } from '../trace/parse.ts';
import { traceStats } from '../trace/stats.ts';
import { toError } from '../util/errors.ts';
import type { WarmWorkloads } from './warm.ts';

export interface WorkloadContext {
  submission: LoadedSubmission;
  /** The allocator speed is compared against. */
  reference: LoadedSubmission;
  config: Config;
  checker: CheckerOptions;
  seed: number;
  /** Runs the checked replay in a watched worker, so a hanging call is a `timeout`, not a hung grade. */
  replayer: Pick<IsolatedReplayer, 'replay'>;
  /** How trace files are read: the plan's (its profile's), so a handout's traces read as its mdriver reads them. */
  reading: TraceReading;
  /** Traces parsed while the checks ran (warm.ts); without it each is read here. */
  warm?: WarmWorkloads;
}

export async function gradeWorkload(w: PlannedWorkload, ctx: WorkloadContext): Promise<WorkloadResult> {
  const trace = await (ctx.warm ? ctx.warm.trace(w.file) : readTraceFile(w.file, { reading: ctx.reading }));
  // What mdriver's reading kept or ignored, one line per kind naming the file and line: data for the reporters.
  const base = { ...emptyWorkloadResult(w), ...(trace.warnings && trace.warnings.length > 0 && { traceWarnings: [...trace.warnings] }) };
  const ops = trace.ops;
  const limit = w.limit ?? ctx.config.heapLimit;
  const need = traceStats(trace).peakPayload;
  if (need > limit) {
    return {
      ...base,
      status: 'skipped',
      ops: ops.length,
      reason: `the trace needs ${need} live bytes at its peak, more than the heap limit of ${limit}; raise heapLimit or drop the workload`,
    };
  }
  const instanceOptions = { seed: ctx.seed, limit };

  let checked;
  try {
    // mdriver fails a trace whose request the heap limit could hold but the allocator answered with NULL.
    checked = await ctx.replayer.replay(ops, { ...instanceOptions, checker: { ...ctx.checker, nullFails: true } });
  } catch (e) {
    // The backstop stopping the replay twice is the kit's (gradeOne makes it this workload's `error`), never a fail.
    if (e instanceof BackstopError) throw e;
    return { ...base, status: 'fail', violations: [initViolation(e)] };
  }
  const result: WorkloadResult = {
    ...base,
    ops: checked.ops,
    utilization: checked.utilization,
    peakPayload: checked.peakPayload,
    peakHeap: checked.peakHeap,
    // Tables made outside the heap in this workload's calls: the off-heap-metadata verdict's (report/off-heap-findings.ts).
    ...(checked.offHeap && { offHeap: checked.offHeap }),
  };
  if (checked.violation) return { ...result, status: 'fail', violations: [checked.violation] };

  // Metered speed, from the checked run itself: no separate timing phase a submission could recognise.
  const sameKind = ctx.submission.language === ctx.reference.language;
  if (sameKind && checked.steps > 0) {
    result.costPerOp = meteredCostPerOp(checked.steps, ops.length);
    result.costRatio = costRatio(await referenceCost(ctx.reference, ops, w.file, instanceOptions), result.costPerOp);
  }
  if (ctx.config.speed === 'cost' && result.costRatio !== undefined) {
    result.throughput = result.costRatio;
    return result;
  }
  if (ctx.config.speed === 'cost') result.reason = `speed measured by the wall clock: no metered reference of the same language (${ctx.reference.spec})`;
  try {
    const clock = measureThroughput(ctx.reference, ctx.submission, ops, {
      ...instanceOptions,
      rounds: ctx.config.timing.rounds,
      minSampleMs: ctx.config.timing.minSampleMs,
      clock: ctx.config.timing.clock,
      threshold: ctx.config.throughput,
      alignment: ctx.checker.alignment,
    }).ratio;
    result.throughput = clock;
    result.wallclockRatio = clock;
  } catch (e) {
    // The checked replay passed, so a throw here is the same call failing without the checker around it.
    return { ...result, status: 'fail', reason: `the timed replay threw: ${toError(e).message}` };
  }
  return result;
}

/** The factory (mm_init) failing on a fresh heap, as a violation of the workload. */
function initViolation(e: unknown): Violation {
  return { kind: 'threw', op: -1, message: `making a fresh allocator failed: ${toError(e).message}` };
}
