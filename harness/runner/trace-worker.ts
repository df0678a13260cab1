/**
 * Worker side of the isolated replayer: loads the submission once, then
 * replays each trace the parent sends under the full checker and posts the
 * result back as plain data.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { LoadedSubmission } from '../contract/instance.ts';
import { cSubmissionTarget } from '../loader/c-targets.ts';
import { loadSubmission } from '../loader/load.ts';
import type { ReplayRequest, ReplayerInit } from './isolated-replayer.ts';
import { answerReplay, replayFailure } from './replay-answer.ts';
import { countPrintedBytesIn } from '../confine/output.ts';

// Stack traces of student code point at their .ts lines, not the bundle.
process.setSourceMapsEnabled(true);
const init = workerData as ReplayerInit;
// Hardened JavaScript before any of the submission's JavaScript is evaluated here (harness/confine). A C
// submission has none: its code is a WebAssembly module that reaches only the kit's imports, so a thread that
// replays C skips SES (58 modules and the lockdown, ~0.06 s of CPU on every `heapgrade trace mm.c`). TypeScript
// is locked down here, before its bundle is evaluated (its compartment would lock the realm down anyway).
if (cSubmissionTarget(init.spec) === undefined) (await import('../confine/lockdown.ts')).ensureLockdown();

const progress = new Int32Array(init.progress);
const port = parentPort!;
// What confined code prints, counted in progress[1]: evidence when the backstop stops a call that was printing.
countPrintedBytesIn(progress);
let loaded: Promise<LoadedSubmission> | undefined;

port.on('message', async (m: ReplayRequest) => {
  try {
    // How to load comes with the request: a worker started before the plan existed (startTraceWorker) learns it here.
    const sub = await (loaded ??= loadSubmission(init.spec, { compiler: m.load.compiler, profile: m.load.profile, confine: init.confine, bundle: init.bundle }));
    port.postMessage(answerReplay(sub, m, progress));
  } catch (e) {
    port.postMessage(replayFailure(m.id, e));
  }
});
