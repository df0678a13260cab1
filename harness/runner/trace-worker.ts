/** Worker side of runTraceIsolated: one checked replay, posted back as plain data. */
import { parentPort, workerData } from 'node:worker_threads';
import { loadSubmission } from '../loader/load.ts';
import { HeapgradeError } from '../util/errors.ts';
import { replayChecked } from './replay.ts';
import type { TraceWorkerInit } from './run-trace.ts';

process.setSourceMapsEnabled(true);

const init = workerData as TraceWorkerInit;
const progress = new Int32Array(init.progress);
try {
  const loaded = await loadSubmission(init.spec, { compiler: init.compiler });
  const instance = loaded.instantiate({ seed: init.seed, limit: init.limit });
  const result = replayChecked(instance, init.ops, { checker: init.checker, progress });
  parentPort!.postMessage({ type: 'done', result, output: instance.takeOutput?.() ?? '' });
} catch (e) {
  parentPort!.postMessage({
    type: e instanceof HeapgradeError ? 'load-error' : 'kit-error',
    message: e instanceof Error ? (e instanceof HeapgradeError ? e.message : (e.stack ?? e.message)) : String(e),
  });
}
