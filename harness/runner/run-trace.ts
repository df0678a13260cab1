/**
 * Replays one trace on a submission under the full checker, in a worker
 * thread that is terminated when a call stops making progress.
 */
import { Worker } from 'node:worker_threads';
import type { CheckerOptions } from '../checker/options.ts';
import type { Violation } from '../checker/violation.ts';
import type { Op } from '../trace/types.ts';
import { LoadError } from '../util/errors.ts';
import type { ReplayResult } from './replay.ts';

export interface TraceWorkerInit {
  module: string;
  spec: string;
  ops: readonly Op[];
  seed: number;
  limit: number;
  checker: CheckerOptions;
  compiler?: string;
  progress: SharedArrayBuffer;
}

export interface IsolatedReplay extends ReplayResult {
  output: string;
}

export async function runTraceIsolated(
  spec: string,
  ops: readonly Op[],
  options: { seed: number; limit: number; checker: CheckerOptions; callTimeoutMs?: number; compiler?: string },
): Promise<IsolatedReplay> {
  const progress = new SharedArrayBuffer(8);
  const cells = new Int32Array(progress);
  cells[0] = -1;
  const init: TraceWorkerInit = { module: './trace-worker.ts', spec, ops, ...options, progress };
  const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: init, stdout: true, stderr: true });
  let output = '';
  const capture = (b: Buffer): void => {
    if (output.length < 8192) output += b.toString('utf8');
  };
  worker.stdout.on('data', capture);
  worker.stderr.on('data', capture);
  const limit = options.callTimeoutMs ?? 2000;
  return new Promise((resolve, reject) => {
    let last = -2;
    let since = Date.now();
    const timer = setInterval(() => {
      const op = cells[0]!;
      if (op !== last) {
        last = op;
        since = Date.now();
      } else if (op >= 0 && Date.now() - since > limit) {
        clearInterval(timer);
        void worker.terminate();
        const violation: Violation = {
          kind: 'timeout',
          op,
          message: `operation #${op} did not return within ${limit} ms`,
          hint: 'An endless loop: a circular free list, a block walk that does not advance (size 0), or a search that restarts forever.',
        };
        resolve({ ops: op, violation, peakPayload: 0, peakHeap: 0, utilization: 0, stats: { sbrkCalls: 0, sbrkFailures: 0, peakExtent: 0, loads: 0, stores: 0, bytesMoved: 0 }, output });
      }
    }, 50);
    worker.on('message', (m: { type: string; result?: ReplayResult; output?: string; message?: string }) => {
      clearInterval(timer);
      void worker.terminate();
      if (m.type === 'done') resolve({ ...m.result!, output: [m.output, output].filter(Boolean).join('\n') });
      else if (m.type === 'load-error') reject(new LoadError(m.message!));
      else reject(new Error(m.message!));
    });
    worker.on('error', (e) => {
      clearInterval(timer);
      reject(e);
    });
  });
}
