/**
 * Several traces on one submission in one process: the submission is loaded
 * (and a C file compiled) once, in one watched worker, and every trace is
 * replayed there under the full checker. Returns plain rows; the reporter
 * (harness/trace-set/trace-table.ts) formats them.
 */
import { resolveCheckerOptions, type CheckerOptions } from '../checker/options.ts';
import type { Violation } from '../checker/violation.ts';
import type { HeapSnapshot } from '../heap-map/types.ts';
import { EXACT_SWEEP_MAX_OPS } from '../runner/sweep.ts';
import { IsolatedReplayer } from '../runner/isolated-replayer.ts';
import type { WatchedWorker } from '../runner/watched-worker.ts';
import { BackstopError } from '../runner/timeouts.ts';
import type { NamedTrace } from './inputs.ts';

export interface TraceRow {
  name: string;
  file?: string;
  ops: number;
  /** pass: no violation; fail: the allocator broke a rule (mdriver's "valid: no"); error: the trace file could not be read. */
  status: 'pass' | 'fail' | 'error';
  /** Why the trace file could not be read (file and line); the other traces ran. */
  error?: string;
  /** What was read as mdriver reads it (a missing size, lines past the op count). */
  warnings?: readonly string[];
  violation: Violation | null;
  utilization: number;
  peakPayload: number;
  peakHeap: number;
  sbrkCalls: number;
  /** Wall-clock seconds of the checked replay (allocator and checker together; not the speed score). */
  seconds: number;
  snapshot?: HeapSnapshot;
  output?: string;
}

export interface TraceSetResult {
  submission: string;
  /** Seconds spent loading (and compiling) the submission before the first trace. */
  loadSeconds: number;
  rows: TraceRow[];
  total: {
    traces: number;
    valid: number;
    ops: number;
    seconds: number;
    /** Mean utilization over the valid traces (mdriver's average), 0 when none is valid. */
    utilization: number;
  };
}

export interface TraceSetOptions {
  seed: number;
  /** Heap limit for traces that do not carry their own. */
  limit: number;
  checker: Partial<CheckerOptions>;
  /** Sweep every live block after every N ops; default: after every op for traces up to EXACT_SWEEP_MAX_OPS ops, adaptive above. */
  sweepEvery?: number;
  callTimeoutMs?: number;
  compiler?: string;
  /** C only: the course profile to compile with (a name or a profile file). */
  profile?: string;
  /** A trace worker started early for this submission (startTraceWorker, isolated-replayer.ts): the replays run on it. */
  worker?: WatchedWorker<object>;
  /** Called after each trace (its index, of `total`), for a progress line. */
  onRow?: (row: TraceRow, index: number, total: number) => void;
}

/**
 * `traces` may still be being read, as a whole or each (readTracesEach):
 * the worker starts and loads the submission meanwhile (a thread's start and
 * a cache read beside the parsing, not after it), and each trace is replayed
 * as soon as it and the ones before it are read. A trace list that fails to
 * read is reported before the load; a trace that fails when its turn comes.
 */
export async function runTraceSet(
  spec: string,
  given: readonly (NamedTrace | Promise<NamedTrace>)[] | Promise<readonly (NamedTrace | Promise<NamedTrace>)[]>,
  options: TraceSetOptions,
): Promise<TraceSetResult> {
  const replayer = new IsolatedReplayer(spec, {
    callTimeoutMs: options.callTimeoutMs,
    compiler: options.compiler,
    profile: options.profile,
    ...(options.worker && { worker: options.worker }),
  });
  const rows: TraceRow[] = [];
  let loadSeconds = 0;
  try {
    // An empty replay loads the submission, so that the first row's time is its replay alone.
    const t0 = performance.now();
    const loading = replayer.replay([], { seed: options.seed, limit: options.limit, checker: resolveCheckerOptions(options.checker) }).then(() => performance.now());
    loading.catch(() => {}); // awaited below, once the traces are read
    const traces = await given;
    // Awaited in turn below; a trace that fails to read is not an unhandled rejection while the ones before it replay.
    for (const t of traces) if (t instanceof Promise) t.catch(() => {});
    loadSeconds = ((await loading) - t0) / 1000;
    for (const [i, pending] of traces.entries()) {
      const trace = await pending;
      if (trace.error !== undefined) {
        const row: TraceRow = { name: trace.name, file: trace.file, ops: 0, status: 'error', error: trace.error, violation: null, utilization: 0, peakPayload: 0, peakHeap: 0, sbrkCalls: 0, seconds: 0 };
        rows.push(row);
        options.onRow?.(row, i, traces.length);
        continue;
      }
      const sweepEvery = options.sweepEvery ?? (trace.ops.length <= EXACT_SWEEP_MAX_OPS ? 1 : 0);
      const checker = resolveCheckerOptions({ ...options.checker, sweepEvery });
      const start = performance.now();
      let r;
      try {
        r = await replayer.replay(trace.ops, { seed: options.seed, limit: trace.limit ?? options.limit, checker });
      } catch (e) {
        if (!(e instanceof BackstopError)) throw e;
        // Stopped twice by the wall clock within its step budget: the kit's error on this row, never the allocator's fail.
        const row: TraceRow = { name: trace.name, file: trace.file, ops: trace.ops.length, status: 'error', error: e.message, violation: null, utilization: 0, peakPayload: 0, peakHeap: 0, sbrkCalls: 0, seconds: (performance.now() - start) / 1000 };
        rows.push(row);
        options.onRow?.(row, i, traces.length);
        continue;
      }
      const row: TraceRow = {
        name: trace.name,
        file: trace.file,
        ops: trace.ops.length,
        status: r.violation ? 'fail' : 'pass',
        violation: r.violation,
        utilization: r.utilization,
        peakPayload: r.peakPayload,
        peakHeap: r.peakHeap,
        sbrkCalls: r.stats.sbrkCalls,
        seconds: (performance.now() - start) / 1000,
        snapshot: r.snapshot,
        output: r.output || undefined,
        ...(trace.warnings && { warnings: trace.warnings }),
      };
      rows.push(row);
      options.onRow?.(row, i, traces.length);
    }
  } finally {
    await replayer.close();
  }
  const valid = rows.filter((r) => r.status === 'pass');
  return {
    submission: spec,
    loadSeconds,
    rows,
    total: {
      traces: rows.length,
      valid: valid.length,
      ops: rows.reduce((n, r) => n + r.ops, 0),
      seconds: rows.reduce((n, r) => n + r.seconds, 0),
      utilization: valid.length > 0 ? valid.reduce((n, r) => n + r.utilization, 0) / valid.length : 0,
    },
  };
}
