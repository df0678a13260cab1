/**
 * Replays traces on a submission under the full checker in a watched worker
 * (watched-worker.ts) that stays alive between traces. The step budget is
 * the per-call limit (a call that spends it is a `timeout` at that op, found
 * in the worker); the wall clock is only a backstop, as in `heapgrade test`
 * (run-tests.ts): a replay it stops (a call, or loading) is run once more in
 * a fresh worker, and a second stop rejects with a BackstopError carrying
 * the evidence (timeouts.ts), never the submission's failure.
 */
import type { ConfinedBundle } from '../confine/compartment.ts';
import type { CheckerOptions } from '../checker/options.ts';
import type { Violation } from '../checker/violation.ts';
import { emptyStats } from '../contract/checked-heap.ts';
import type { Op } from '../trace/types.ts';
import { LoadError } from '../util/errors.ts';
import type { ReplayResult } from '../replay/replay.ts';
import { BackstopError, callBackstopError, DEFAULT_CALL_TIMEOUT_MS, LOAD_TIMEOUT_MS, loadBackstopError, type BackstopStop } from './timeouts.ts';
import { packOps } from './ops-wire.ts';
import { FACTORY, LOADING, WatchedWorker, type WatchedWorkerOwner } from './watched-worker.ts';

/** What a trace worker starts with (workerData): which submission, how confined. How to load it comes with each request. */
export interface ReplayerInit {
  spec: string;
  /** Trusted callers only (tests of the OS sandbox): false loads TypeScript unconfined. @default true */
  confine?: boolean;
  /** The submission bundled once by the thread that starts the lanes (confined TypeScript only). */
  bundle?: ConfinedBundle;
  progress: SharedArrayBuffer;
}

/** How a trace worker loads the submission, at the first request it gets (a worker that has it loaded ignores it). */
export interface ReplayLoad {
  compiler?: string;
  /** C only: the course profile to compile with. */
  profile?: string;
}

export interface ReplayRequest {
  type: 'replay';
  id: number;
  load: ReplayLoad;
  /** The trace's ops packed (ops-wire.ts), transferred. */
  ops: Float64Array;
  seed: number;
  limit: number;
  checker: CheckerOptions;
}

export interface IsolatedReplay extends ReplayResult {
  /** What the submission printed (C printf, console output), capped. */
  output: string;
}

type Reply =
  | { type: 'done'; id: number; result: ReplayResult; output: string }
  | { type: 'load-error' | 'kit-error' | 'died'; id: number; message: string }
  | { type: 'stalled'; id: number; reason: 'load' | 'call'; stop: BackstopStop };

const OUTPUT_CAP = 8192;

export class IsolatedReplayer {
  private worker: WatchedWorker<object> | undefined;
  /** A loaded worker handed over by its first owner (grade's check lanes), taken by the first replay. */
  private handed: WatchedWorker<object> | undefined;
  private nextId = 0;
  private pending: { id: number; settle(m: Reply): void } | undefined;

  constructor(
    private readonly spec: string,
    private readonly options: {
      callTimeoutMs?: number;
      loadTimeoutMs?: number;
      compiler?: string;
      profile?: string;
      confine?: boolean;
      bundle?: ConfinedBundle;
      /**
       * An idle worker for this same submission (same spec, confinement and bundle) that answers replay requests: a
       * check worker that has it loaded with the same compiler and profile (runner/worker.ts), or a trace worker
       * started early (startTraceWorker) that loads it at its first request. The first replay runs on it instead
       * of a new thread. A worker this replayer replaces (a stall, a death) is a fresh trace worker, as without it.
       */
      worker?: WatchedWorker<object>;
    } = {},
  ) {
    this.handed = options.worker;
  }

  async replay(ops: readonly Op[], request: { seed: number; limit: number; checker: CheckerOptions }): Promise<IsolatedReplay> {
    // What the backstop stopped, in order: one stop is retried in a fresh worker, a second is the kit's error.
    const stops: { reason: 'load' | 'call'; stop: BackstopStop }[] = [];
    for (;;) {
      const outcome = await this.attempt(ops, request);
      if (!('stalled' in outcome)) return outcome;
      stops.push(outcome.stalled);
      if (stops.length < 2) continue;
      const limit = this.options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
      const calls = stops.filter((s) => s.reason === 'call').map((s) => s.stop);
      throw new BackstopError(
        stops[stops.length - 1]!.reason === 'load'
          ? `${this.spec}: ${loadBackstopError(stops.filter((s) => s.reason === 'load').map((s) => s.stop.elapsedMs), this.options.loadTimeoutMs ?? LOAD_TIMEOUT_MS)}`
          : callBackstopError(calls, limit, request.checker.stepBudget),
      );
    }
  }

  /** One run of the replay: its result, or what the backstop stopped. */
  private attempt(ops: readonly Op[], request: { seed: number; limit: number; checker: CheckerOptions }): Promise<IsolatedReplay | { stalled: { reason: 'load' | 'call'; stop: BackstopStop } }> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    worker.takeOutput();
    const printedAtStart = worker.progress[1]!;
    return new Promise((resolve, reject) => {
      this.pending = {
        id,
        settle: (m) => {
          this.pending = undefined;
          worker.idle();
          const stray = worker.takeOutput().trim();
          if (m.type === 'done') resolve({ ...m.result, output: [m.output, stray].filter(Boolean).join('\n') });
          else if (m.type === 'stalled') resolve({ stalled: { reason: m.reason, stop: { ...m.stop, printedBytes: worker.progress[1]! - printedAtStart } } });
          else if (m.type === 'load-error') reject(new LoadError(m.message));
          else if (m.type === 'died') {
            this.worker = undefined;
            const op = worker.op;
            resolve({ ...diedResult(op, m.message), output: stray });
          } else reject(new Error(m.message));
        },
      };
      // Loading (a cold C compile) gets its own, longer backstop; the factory and every op the call backstop.
      worker.begin(LOADING);
      const packed = packOps(ops);
      const load: ReplayLoad = { compiler: this.options.compiler, profile: this.options.profile };
      worker.post({ type: 'replay', id, load, ops: packed, ...request } satisfies ReplayRequest, [packed.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    const handed = this.handed;
    this.worker = undefined;
    this.handed = undefined;
    await Promise.all([w?.terminate(), handed?.terminate()]);
  }

  private ensureWorker(): WatchedWorker<object> {
    if (this.worker && !this.worker.isEnded) return this.worker;
    const handed = this.handed;
    this.handed = undefined;
    if (handed && !handed.isEnded) {
      handed.handOver(this.owner(() => handed));
      this.worker = handed;
      return handed;
    }
    const worker: WatchedWorker<Omit<ReplayerInit, 'progress'>> = new WatchedWorker({
      entry: TRACE_WORKER,
      init: traceWorkerInit(this.spec, this.options),
      ...this.owner(() => worker),
    });
    this.worker = worker;
    return worker;
  }

  /** The limits and handlers of a worker this replayer runs (`self` is that worker, once it exists). */
  private owner(self: () => WatchedWorker<object>): WatchedWorkerOwner {
    return {
      callTimeoutMs: this.options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
      loadTimeoutMs: this.options.loadTimeoutMs ?? LOAD_TIMEOUT_MS,
      outputCap: OUTPUT_CAP,
      // An idle worker must not keep the process alive.
      unref: true,
      onMessage: (m) => {
        const reply = m as Reply;
        if (this.pending && reply.id === this.pending.id) this.pending.settle(reply);
      },
      onStall: (reason, op, elapsedMs) => {
        if (this.worker === self()) this.worker = undefined;
        const pending = this.pending;
        this.pending = undefined;
        if (!pending) return;
        pending.settle({ type: 'stalled', id: pending.id, reason: reason === 'load' ? 'load' : 'call', stop: { op: op === FACTORY ? -1 : op, elapsedMs } });
      },
      onExit: (error) => {
        if (this.worker === self()) this.worker = undefined;
        const why = error ? `${error.name}: ${error.message}` : 'the allocator ended the thread (process.exit?)';
        this.pending?.settle({ type: 'died', id: this.pending.id, message: why });
      },
    };
  }
}

const TRACE_WORKER = new URL('./trace-worker.ts', import.meta.url);

function traceWorkerInit(spec: string, options: { confine?: boolean; bundle?: ConfinedBundle }): Omit<ReplayerInit, 'progress'> {
  return { spec, ...(options.confine === false && { confine: false }), ...(options.bundle && { bundle: options.bundle }) };
}

/**
 * A trace worker for `spec`, started before its replayer exists (`heapgrade
 * trace` starts it first thing, so that the thread's start and its modules
 * run beside the command's own loading, plan and parsing, not after them).
 * Nothing watches it until it is handed to an IsolatedReplayer (its `worker`
 * option), whose first request tells it how to load the submission; one
 * that is never handed over must be terminated. An idle worker does not keep
 * the process alive.
 */
export function startTraceWorker(spec: string, options: { confine?: boolean; bundle?: ConfinedBundle } = {}): WatchedWorker<object> {
  return new WatchedWorker({
    entry: TRACE_WORKER,
    init: traceWorkerInit(spec, options),
    callTimeoutMs: DEFAULT_CALL_TIMEOUT_MS,
    outputCap: OUTPUT_CAP,
    unref: true,
    // Before its hand-over it gets no request, so it sends nothing; its death is noticed by the replayer (isEnded).
    onMessage: () => {},
    onStall: () => {},
    onExit: () => {},
  });
}

function diedResult(op: number, why: string): ReplayResult {
  const violation: Violation = { kind: 'threw', op, message: `the replay's thread died at operation #${op}: ${why}` };
  return { ops: Math.max(0, op), violation, peakPayload: 0, peakHeap: 0, utilization: 0, stats: emptyStats(), steps: 0 };
}
