/** The checker index on a 16 MiB heap: growth to the heap's extent and one entries() walk.  npx tsx bench/live-index.ts */
import { LiveIndex } from '../harness/checker/live-index.ts';
const t0 = performance.now();
for (let r = 0; r < 20; r++) {
  const idx = new LiveIndex(0, 16);
  // an implicit allocator walking up a 16 MiB heap: one block per 1 KiB
  for (let a = 0; a < 16 << 20; a += 1024) idx.insert(a, a + 1000, a);
  idx.entries();
}
console.log(((performance.now() - t0) / 20).toFixed(1), 'ms per 16 MiB index (16k blocks, grow + entries)');
