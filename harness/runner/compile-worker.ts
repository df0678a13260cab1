/**
 * Compiles a C submission into the compile cache on a thread of its own, so
 * that the thread that draws `heapgrade test`'s progress is never blocked by
 * the compiler (the bundled clang runs as WebAssembly, synchronously, for
 * seconds). Posts the student's load error, or nothing when it compiled.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { LoadError } from '../util/errors.ts';
import { loadSubmission } from '../loader/load.ts';

export interface CompileJob {
  target: string;
  compiler?: string;
  profile?: string;
}

export type CompileDone = { ok: true } | { ok: false; loadError: string } | { ok: false; error: string };

const job = workerData as CompileJob;
let done: CompileDone;
try {
  await loadSubmission(job.target, { compiler: job.compiler, profile: job.profile });
  done = { ok: true };
} catch (e) {
  done = e instanceof LoadError ? { ok: false, loadError: e.message } : { ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
}
parentPort!.postMessage(done);
