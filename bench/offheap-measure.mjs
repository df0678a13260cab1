// Two off-heap measurements of one allocator in a fresh worker, as `live/freed bytes per block@blocks reached`:
// run it many times to see how often the measurement moves (each worker starts with a cold JIT).
//   npm run build && for i in $(seq 20); do node bench/offheap-measure.mjs ref:first-fit; done | sort | uniq -c
// The worker starts as the check workers do, with the optimizing compiler on its own thread
// (harness/offheap/quiet-compiler.ts): measured on the main thread, the snapshots move by 100-300 KB.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const dist = new URL('../dist/harness/', import.meta.url);
if (isMainThread) {
  const { holdCompilerOnThread } = await import(new URL('offheap/quiet-compiler.js', dist).href);
  const release = holdCompilerOnThread();
  const worker = new Worker(new URL(import.meta.url), { workerData: process.argv[2] ?? 'ref:reference' });
  worker.once('online', release);
  worker.on('message', (line) => console.log(line));
  worker.on('error', (e) => {
    console.error(e);
    process.exitCode = 1;
  });
} else {
  const { ensureLockdown } = await import(new URL('confine/lockdown.js', dist).href);
  ensureLockdown();
  const { loadSubmission } = await import(new URL('loader/load.js', dist).href);
  const { measureOffHeap } = await import(new URL('offheap/measure.js', dist).href);
  const loaded = await loadSubmission(workerData);
  const out = [];
  for (let i = 0; i < 2; i++) {
    const m = measureOffHeap(loaded, { seed: 1, limit: 64 << 20 });
    out.push(`${m.bytesPerLiveBlock.toFixed(1)}/${m.bytesPerFreedBlock.toFixed(1)}@${m.reached}`);
  }
  parentPort.postMessage(out.join(' '));
}
