/**
 * Replays traces on a submission under the full checker in a worker thread
 * that stays alive between traces, with a watchdog: a call that makes no
 * progress within the limit becomes a `timeout` violation at that op, the
 * worker is terminated, and the next trace gets a fresh one.
 */
import type { Worker } from 'node:worker_threads';
import { startKitWorker } from '../util/kit-entry.ts';
import type { CheckerOptions } from '../checker/options.ts';
import type { Violation } from '../checker/violation.ts';
import { emptyStats } from '../heap/checked-heap.ts';
import type { Op } from '../trace/types.ts';
import { LoadError } from '../util/errors.ts';
import type { ReplayResult } from './replay.ts';
import { callTimeoutViolation, LOAD_TIMEOUT_MS } from './timeouts.ts';

export interface ReplayerInit {
  spec: string;
  compiler?: string;
  /** C only: the course profile to compile with. */
  profile?: string;
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

/** Progress cell values before the first op: loading the submission, then running its factory. */
export const LOADING = -2;
export const FACTORY = -1;

const OUTPUT_CAP = 8192;

export class IsolatedReplayer {
  private worker: Worker | undefined;
  private cells: Int32Array | undefined;
  private output = '';
  private nextId = 0;
  private pending: { id: number; settle(m: Reply): void } | undefined;

  constructor(
    private readonly spec: string,
    private readonly options: { callTimeoutMs?: number; compiler?: string; profile?: string } = {},
  ) {}

  async replay(ops: readonly Op[], request: { seed: number; limit: number; checker: CheckerOptions }): Promise<IsolatedReplay> {
    const worker = this.ensureWorker();
    const cells = this.cells!;
    const id = this.nextId++;
    const limit = this.options.callTimeoutMs ?? 2000;
    this.output = '';
    cells[0] = LOADING;
    return new Promise((resolve, reject) => {
      let last = cells[0]!;
      let since = Date.now();
      const finish = (): void => {
        clearInterval(timer);
        this.pending = undefined;
      };
      const timer = setInterval(() => {
        const op = cells[0]!;
        if (op !== last) {
          last = op;
          since = Date.now();
          return;
        }
        // Loading (a cold C compile) gets its own, longer limit; the factory and every op the call limit.
        const allowed = op === LOADING ? LOAD_TIMEOUT_MS : limit;
        if (Date.now() - since <= allowed) return;
        finish();
        this.discard();
        if (op === LOADING) reject(new LoadError(`${this.spec}: loading the submission did not finish within ${LOAD_TIMEOUT_MS / 1000} s`));
        else resolve({ ...timeoutResult(op === FACTORY ? -1 : op, limit), output: this.output });
      }, 50);
      this.pending = {
        id,
        settle: (m) => {
          finish();
          if (m.type === 'done') resolve({ ...m.result, output: [m.output, this.output.trim()].filter(Boolean).join('\n') });
          else if (m.type === 'load-error') reject(new LoadError(m.message));
          else if (m.type === 'died') {
            this.discard();
            resolve({ ...diedResult(cells[0]!, m.message), output: this.output });
          } else reject(new Error(m.message));
        },
      };
      worker.postMessage({ id, ops, ...request } satisfies ReplayRequest);
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const progress = new SharedArrayBuffer(8);
    this.cells = new Int32Array(progress);
    const init: ReplayerInit = { spec: this.spec, compiler: this.options.compiler, profile: this.options.profile, progress };
    const worker = startKitWorker(new URL('./trace-worker.ts', import.meta.url), { workerData: init, stdout: true, stderr: true });
    const capture = (b: Buffer): void => {
      if (this.output.length < OUTPUT_CAP) this.output += b.toString('utf8');
    };
    worker.stdout.on('data', capture);
    worker.stderr.on('data', capture);
    // Listeners stay for the worker's life: a message, an error thrown
    // asynchronously by student code, or the thread ending (process.exit in
    // the allocator) settles the replay in flight, never crashes the kit.
    worker.on('message', (m: Reply) => {
      if (this.pending && m.id === this.pending.id) this.pending.settle(m);
    });
    worker.on('error', (e) => this.pending?.settle({ type: 'died', id: this.pending.id, message: `${e.name}: ${e.message}` }));
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
      this.pending?.settle({ type: 'died', id: this.pending.id, message: 'the allocator ended the thread (process.exit?)' });
    });
    // An idle worker must not keep the process alive.
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private discard(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }
}

function timeoutResult(op: number, ms: number): ReplayResult {
  return { ops: Math.max(0, op), violation: callTimeoutViolation(op, ms), peakPayload: 0, peakHeap: 0, utilization: 0, stats: emptyStats() };
}

function diedResult(op: number, why: string): ReplayResult {
  const violation: Violation = { kind: 'threw', op, message: `the replay's thread died at operation #${op}: ${why}` };
  return { ops: Math.max(0, op), violation, peakPayload: 0, peakHeap: 0, utilization: 0, stats: emptyStats() };
}
