/**
 * Worker side of the isolated replayer: loads the submission once, then
 * replays each trace the parent sends under the full checker and posts the
 * result back as plain data.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { LoadedSubmission } from '../contract/instance.ts';
import { ensureLockdown } from '../confine/lockdown.ts';
import { loadSubmission } from '../loader/load.ts';
import type { ReplayRequest, ReplayerInit } from './isolated-replayer.ts';
import { answerReplay, replayFailure } from './replay-answer.ts';
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
    port.postMessage(answerReplay(sub, m, progress));
  } catch (e) {
    port.postMessage(replayFailure(m.id, e));
  }
});
