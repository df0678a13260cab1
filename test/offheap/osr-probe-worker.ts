/** A worker for quiet-compiler.test.ts: holds and releases on-stack replacement, and probes it, as its parent asks. */
import { parentPort } from 'node:worker_threads';
import { holdOsrOff } from '../../harness/offheap/quiet-compiler.ts';
import { loopIsReplaced } from './osr-probe.ts';

let release: (() => void) | undefined;
parentPort!.on('message', (what: 'hold' | 'release' | 'probe') => {
  if (what === 'hold') release = holdOsrOff();
  if (what === 'release') release?.();
  parentPort!.postMessage(what === 'probe' ? loopIsReplaced() : what);
});
