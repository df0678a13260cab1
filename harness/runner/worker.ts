/**
 * The check worker: loads the submission once, then runs the checks the
 * parent sends, one at a time. Student code runs here, where the parent can
 * terminate it when a call hangs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { findCheck } from '../../suites/correctness/index.ts';
import { ensureLockdown } from '../confine/lockdown.ts';
import { loadSubmission } from '../loader/load.ts';
import { LoadError, HeapgradeError } from '../util/errors.ts';
import { runCheck } from './check-runner.ts';
import type { FromWorker, ToWorker, WorkerInit } from './protocol.ts';
import type { ReplayRequest } from './isolated-replayer.ts';
import { countPrintedBytesIn } from '../confine/output.ts';
import { answerReplay, isReplayRequest, replayFailure } from './replay-answer.ts';

// Stack traces of student code point at their .ts lines, not the bundle.
process.setSourceMapsEnabled(true);
// Hardened JavaScript before any submission is evaluated here (harness/confine).
ensureLockdown();

const init = workerData as WorkerInit;
const port = parentPort!;
const progress = new Int32Array(init.progress);
// What confined code prints is counted in progress[1] too (it never reaches stdout).
countPrintedBytesIn(progress);
const send = (m: FromWorker): void => port.postMessage(m);

// Bytes printed, counted in progress[1] for the parent's watchdog: a call that
// stalls while printing a lot may be slow, not looping. (The printed text
// itself cannot reach the parent while the call holds this thread.)
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    const n = typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk instanceof Uint8Array ? chunk.length : 0;
    if (progress[1]! < 0x4000_0000) Atomics.add(progress, 1, n);
    return write(chunk, ...rest);
  }) as typeof stream.write;
}

try {
  const loaded = await loadSubmission(init.spec, { compiler: init.options.compiler, profile: init.options.profile, confine: init.options.confine, bundle: init.bundle });
  send({ type: 'ready', language: loaded.language, notes: loaded.notes });
  port.on('message', (m: ToWorker | ReplayRequest) => {
    // Handed to a grade's workload lane (isolated-replayer.ts) after the checks: the trace worker's answer, on the module loaded here.
    if (isReplayRequest(m)) {
      try {
        port.postMessage(answerReplay(loaded, m, progress));
      } catch (e) {
        port.postMessage(replayFailure(m.id, e));
      }
      return;
    }
    const check = findCheck(m.check);
    if (!check) {
      send({ type: 'kit-error', index: m.index, message: `unknown check ${m.check}` });
      return;
    }
    progress[0] = 0;
    try {
      const result = runCheck(loaded, check, {
        ...init.options,
        progress,
        onFailure: (r) => send({ type: 'provisional', index: m.index, result: r }),
      });
      send({ type: 'result', index: m.index, result });
    } catch (e) {
      if (e instanceof LoadError) send({ type: 'load-error', message: e.message });
      else send({ type: 'kit-error', index: m.index, message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
    }
  });
} catch (e) {
  if (e instanceof HeapgradeError) send({ type: 'load-error', message: e.message });
  else send({ type: 'load-error', message: `loading failed: ${e instanceof Error ? e.message : String(e)}` });
}
