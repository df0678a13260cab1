/**
 * Replays traces on a submission under the full checker in a worker thread
 * that stays alive between traces, with a watchdog: a call that makes no
 * progress within the limit becomes a `timeout` violation at that op, the
 * worker is terminated, and the next trace gets a fresh one.
 */
import { Worker } from 'node:worker_threads';
import type { CheckerOptions } from '../checker/options.ts';
import type { Violation } from '../checker/violation.ts';
import { emptyStats } from '../heap/checked-heap.ts';
import type { Op } from '../trace/types.ts';
import { LoadError } from '../util/errors.ts';
import type { ReplayResult } from './replay.ts';

export interface ReplayerInit {
  module: string;
  spec: string;
  compiler?: string;
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

type Reply = { type: 'done'; id: number; result: ReplayResult; output: string } | { type: 'load-error' | 'kit-error'; id: number; message: string };

const OUTPUT_CAP = 8192;

export class IsolatedReplayer {
  private worker: Worker | undefined;
  private cells: Int32Array | undefined;
  private output = '';
  private nextId = 0;

  constructor(
    private readonly spec: string,
    private readonly options: { callTimeoutMs?: number; compiler?: string } = {},
  ) {}

  async replay(ops: readonly Op[], request: { seed: number; limit: number; checker: CheckerOptions }): Promise<IsolatedReplay> {
    const worker = this.ensureWorker();
    const cells = this.cells!;
    const id = this.nextId++;
    const limit = this.options.callTimeoutMs ?? 2000;
    this.output = '';
    cells[0] = -1;
    return new Promise((resolve, reject) => {
      let last = -2;
      let since = Date.now();
      const finish = (): void => {
        clearInterval(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
      };
      const timer = setInterval(() => {
        const op = cells[0]!;
        if (op !== last) {
          last = op;
          since = Date.now();
        } else if (op >= 0 && Date.now() - since > limit) {
          finish();
          this.discard();
          resolve({ ...timeoutResult(op, limit), output: this.output });
        }
      }, 50);
      const onMessage = (m: Reply): void => {
        if (m.id !== id) return;
        finish();
        if (m.type === 'done') resolve({ ...m.result, output: [m.output, this.output.trim()].filter(Boolean).join('\n') });
        else if (m.type === 'load-error') reject(new LoadError(m.message));
        else reject(new Error(m.message));
      };
      const onError = (e: Error): void => {
        finish();
        this.discard();
        reject(e);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
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
    const init: ReplayerInit = { module: './trace-worker.ts', spec: this.spec, compiler: this.options.compiler, progress };
    const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: init, stdout: true, stderr: true });
    const capture = (b: Buffer): void => {
      if (this.output.length < OUTPUT_CAP) this.output += b.toString('utf8');
    };
    worker.stdout.on('data', capture);
    worker.stderr.on('data', capture);
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
  const violation: Violation = {
    kind: 'timeout',
    op,
    message: `operation #${op} did not return within ${ms} ms`,
    hint: 'An endless loop: a circular free list, a block walk that does not advance (size 0), or a search that restarts forever.',
  };
  return { ops: op, violation, peakPayload: 0, peakHeap: 0, utilization: 0, stats: emptyStats() };
}
