/**
 * The ONE answer a worker gives a replay request (isolated-replayer.ts): the
 * trace worker's (trace-worker.ts, which loads the submission at its first
 * request) and the check worker's once grade hands it to a workload lane
 * (worker.ts, loaded already). A fresh instance per request, the full
 * checker, the result as plain data.
 */
import type { LoadedSubmission } from '../contract/instance.ts';
import { replayChecked } from '../replay/replay.ts';
import { HeapgradeError } from '../util/errors.ts';
import type { ReplayRequest } from './isolated-replayer.ts';
import { unpackOps } from './ops-wire.ts';
import { FACTORY } from './watched-worker.ts';

/** Replays the request on a fresh instance of `sub`: the message to post back. */
export function answerReplay(sub: LoadedSubmission, m: ReplayRequest, progress: Int32Array): unknown {
  progress[0] = FACTORY; // the factory (mm_init) runs under the call limit too
  const instance = sub.instantiate({ seed: m.seed, limit: m.limit });
  const result = replayChecked(instance, unpackOps(m.ops), { checker: m.checker, progress });
  return { type: 'done', id: m.id, result, output: instance.takeOutput?.() ?? '' };
}

/** What a replay request that threw is answered with: the submission's load error, or the kit's. */
export function replayFailure(id: number, e: unknown): unknown {
  return {
    type: e instanceof HeapgradeError ? 'load-error' : 'kit-error',
    id,
    message: e instanceof Error ? (e instanceof HeapgradeError ? e.message : (e.stack ?? e.message)) : String(e),
  };
}

/** True for a replay request (a check worker also gets `{ type: 'run' }` messages). */
export function isReplayRequest(m: unknown): m is ReplayRequest {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'replay';
}
