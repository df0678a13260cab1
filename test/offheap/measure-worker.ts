/** A worker for quiet-compiler.test.ts: loads one submission and posts one growth measurement (the raw bytes its snapshots saw). */
import { parentPort, workerData } from 'node:worker_threads';
import { ensureLockdown } from '../../harness/confine/lockdown.ts';
import { loadSubmission } from '../../harness/loader/load.ts';
import { measureOffHeap } from '../../harness/offheap/measure.ts';

ensureLockdown();
const { spec, to } = workerData as { spec: string; to: number };
const loaded = await loadSubmission(spec);
const m = measureOffHeap(loaded, { seed: 1, limit: 64 << 20, to });
parentPort!.postMessage({ grewLive: m.grewLive, grewFreed: m.grewFreed, reached: m.reached });
