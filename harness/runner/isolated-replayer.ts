/**
 * Replays traces on a submission under the full checker in a watched worker
 * (watched-worker.ts) that stays alive between traces: a call that makes no
 * progress within the limit becomes a `timeout` violation at that op, the
 * worker is terminated, and the next trace gets a fresh one.
 */
import type { ConfinedBundle } from '../confine/compartment.ts';
import type { CheckerOptions } from '../checker/options.ts';
import type { Violation } from '../checker/violation.ts';
import { emptyStats } from '../contract/checked-heap.ts';
import type { Op } from '../trace/types.ts';
import { LoadError } from '../util/errors.ts';
import type { ReplayResult } from '../replay/replay.ts';
import { callTimeoutViolation, DEFAULT_CALL_TIMEOUT_MS, LOAD_TIMEOUT_MS } from './timeouts.ts';
import { FACTORY, LOADING, WatchedWorker } from './watched-worker.ts';

export interface ReplayerInit {
  spec: string;
  compiler?: string;
  /** C only: the course profile to compile with. */
  profile?: string;
  /** Trusted callers only (tests of the OS sandbox): false loads TypeScript unconfined. @default true */
  confine?: boolean;
  /** The submission bundled once by the thread that starts the lanes (confined TypeScript only). */
  bundle?: ConfinedBundle;
  progress: SharedArrayBuffer;
}

export interface ReplayRequest {
  id: number;
  ops: readonly Op[];
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
  | { type: 'load-error' | 'kit-error' | 'died'; id: number; message: string };

const OUTPUT_CAP = 8192;

export class IsolatedReplayer {
  private worker: WatchedWorker<Omit<ReplayerInit, 'progress'>> | undefined;
  private nextId = 0;
  private pending: { id: number; settle(m: Reply): void } | undefined;

  constructor(
    private readonly spec: string,
    private readonly options: { callTimeoutMs?: number; compiler?: string; profile?: string; confine?: boolean; bundle?: ConfinedBundle } = {},
  ) {}

  async replay(ops: readonly Op[], request: { seed: number; limit: number; checker: CheckerOptions }): Promise<IsolatedReplay> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    worker.takeOutput();
    return new Promise((resolve, reject) => {
      this.pending = {
        id,
        settle: (m) => {
          this.pending = undefined;
          worker.idle();
          const stray = worker.takeOutput().trim();
          if (m.type === 'done') resolve({ ...m.result, output: [m.output, stray].filter(Boolean).join('\n') });
          else if (m.type === 'load-error') reject(new LoadError(m.message));
          else if (m.type === 'died') {
            this.worker = undefined;
            const op = worker.op;
            resolve({ ...diedResult(op, m.message), output: stray });
          } else reject(new Error(m.message));
        },
      };
      // Loading (a cold C compile) gets its own, longer limit; the factory and every op the call limit.
      worker.begin(LOADING);
      worker.post({ id, ops, ...request } satisfies ReplayRequest);
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    await w?.terminate();
  }

  private ensureWorker(): WatchedWorker<Omit<ReplayerInit, 'progress'>> {
    if (this.worker && !this.worker.isEnded) return this.worker;
    const limit = this.options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    const worker: WatchedWorker<Omit<ReplayerInit, 'progress'>> = new WatchedWorker({
      entry: new URL('./trace-worker.ts', import.meta.url),
      init: {
        spec: this.spec,
        compiler: this.options.compiler,
        profile: this.options.profile,
        ...(this.options.confine === false && { confine: false }),
        ...(this.options.bundle && { bundle: this.options.bundle }),
      },
      callTimeoutMs: limit,
      outputCap: OUTPUT_CAP,
      // An idle worker must not keep the process alive.
      unref: true,
      onMessage: (m) => {
        const reply = m as Reply;
        if (this.pending && reply.id === this.pending.id) this.pending.settle(reply);
      },
      onStall: (reason, op) => {
        if (this.worker === worker) this.worker = undefined;
        const pending = this.pending;
        this.pending = undefined;
        if (!pending) return;
        const output = worker.takeOutput();
        if (reason === 'load') pending.settle({ type: 'load-error', id: pending.id, message: `${this.spec}: loading the submission did not finish within ${LOAD_TIMEOUT_MS / 1000} s` });
        else this.settleTimeout(pending, op === FACTORY ? -1 : op, limit, output);
      },
      onExit: (error) => {
        if (this.worker === worker) this.worker = undefined;
        const why = error ? `${error.name}: ${error.message}` : 'the allocator ended the thread (process.exit?)';
        this.pending?.settle({ type: 'died', id: this.pending.id, message: why });
      },
    });
    this.worker = worker;
    return worker;
  }

  private settleTimeout(pending: { id: number; settle(m: Reply): void }, op: number, ms: number, output: string): void {
    pending.settle({ type: 'done', id: pending.id, result: timeoutResult(op, ms), output });
  }
}

function timeoutResult(op: number, ms: number): ReplayResult {
  return { ops: Math.max(0, op), violation: callTimeoutViolation(op, ms), peakPayload: 0, peakHeap: 0, utilization: 0, stats: emptyStats(), steps: 0 };
}

function diedResult(op: number, why: string): ReplayResult {
  const violation: Violation = { kind: 'threw', op, message: `the replay's thread died at operation #${op}: ${why}` };
  return { ops: Math.max(0, op), violation, peakPayload: 0, peakHeap: 0, utilization: 0, stats: emptyStats(), steps: 0 };
}
