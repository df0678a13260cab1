/**
 * Worker side of the isolated replayer: loads the submission once, then
 * replays each trace the parent sends under the full checker and posts the
 * result back as plain data.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { LoadedSubmission } from '../contract/instance.ts';
import { ensureLockdown } from '../confine/lockdown.ts';
import { loadSubmission } from '../loader/load.ts';
import { HeapgradeError } from '../util/errors.ts';
import { replayChecked } from '../replay/replay.ts';
import type { ReplayRequest, ReplayerInit } from './isolated-replayer.ts';
import { FACTORY } from './watched-worker.ts';
import { countPrintedBytesIn } from '../confine/output.ts';

// Stack traces of student code point at their .ts lines, not the bundle.
process.setSourceMapsEnabled(true);
// Hardened JavaScript before any submission is evaluated here (harness/confine).
ensureLockdown();

const init = workerData as ReplayerInit;
const progress = new Int32Array(init.progress);
const port = parentPort!;
// What confined code prints, counted in progress[1]: evidence when the backstop stops a call that was printing.
countPrintedBytesIn(progress);
let loaded: Promise<LoadedSubmission> | undefined;

port.on('message', async (m: ReplayRequest) => {
  try {
    const sub = await (loaded ??= loadSubmission(init.spec, { compiler: init.compiler, profile: init.profile, confine: init.confine, bundle: init.bundle }));
    progress[0] = FACTORY; // the factory (mm_init) runs under the call limit too
    const instance = sub.instantiate({ seed: m.seed, limit: m.limit });
    const result = replayChecked(instance, m.ops, { checker: m.checker, progress });
    port.postMessage({ type: 'done', id: m.id, result, output: instance.takeOutput?.() ?? '' });
  } catch (e) {
    port.postMessage({
      type: e instanceof HeapgradeError ? 'load-error' : 'kit-error',
      id: m.id,
      message: e instanceof Error ? (e instanceof HeapgradeError ? e.message : (e.stack ?? e.message)) : String(e),
    });
  }
});
