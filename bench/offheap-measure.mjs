// Two off-heap measurements of one allocator in a fresh process, as `live/freed bytes per block@blocks reached`:
// run it many times to see how often the measurement moves (each process starts with a cold JIT).
//   npm run build && for i in $(seq 20); do node bench/offheap-measure.mjs ref:first-fit; done | sort | uniq -c
const dist = new URL('../dist/harness/', import.meta.url);
const { ensureLockdown } = await import(new URL('confine/lockdown.js', dist).href);
ensureLockdown();
const { loadSubmission } = await import(new URL('loader/load.js', dist).href);
const { measureOffHeap } = await import(new URL('offheap/measure.js', dist).href);
const loaded = await loadSubmission(process.argv[2] ?? 'ref:reference');
const out = [];
for (let i = 0; i < 2; i++) {
  const m = measureOffHeap(loaded, { seed: 1, limit: 64 << 20 });
  out.push(`${m.bytesPerLiveBlock.toFixed(1)}/${m.bytesPerFreedBlock.toFixed(1)}@${m.reached}`);
}
console.log(out.join(' '));
