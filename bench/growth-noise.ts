/**
 * How often the off-heap growth measurement moves on allocators that keep no
 * per-block state: off-heap-metadata (and churn, as the attack tests run
 * them) on each FILE through runTests, from the TypeScript sources as the
 * tests load the kit, with every measurement's raw growth logged
 * (HEAPGRADE_GROWTH_LOG, harness/offheap/measure.ts). Prints each
 * measurement and the count over the noise floor and past the limit an
 * honest allocator must stay under (4 bytes a block: 200 KB over the 50,000
 * frees of the freed phase).
 *
 *   npx tsx bench/growth-noise.ts FILE...
 *   HEAPGRADE_GROWTH_LOG=/tmp/g.jsonl npx vitest run test/attack/offheap-evasion-4.test.ts
 *   npx tsx bench/growth-noise.ts --log /tmp/g.jsonl
 *
 * The second form counts what any run logged (a whole test run: vitest's
 * workers and the kit's inherit the variable).
 *
 * The suspects of the attack tests are a good FILE list: generate them with
 * `npx vitest run test/attack/offheap-evasion-4.test.ts` and take
 * /tmp/heapgrade-attack-offheap4-*\/*.ts (their growth is honest: their
 * tables are small and made before the first snapshot).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '../harness/runner/run-tests.ts';
import { OFF_HEAP_BYTES_PER_BLOCK } from '../harness/offheap/measure.ts';

const args = process.argv.slice(2);
const given = args[0] === '--log' ? args[1] : undefined;
if (args.length === 0 || (args[0] === '--log' && !given)) {
  console.error('usage: npx tsx bench/growth-noise.ts FILE...   or   npx tsx bench/growth-noise.ts --log LOG');
  process.exit(2);
}
const log = given ?? join(mkdtempSync(join(tmpdir(), 'heapgrade-growth-noise-')), 'growth.jsonl');
if (!given) {
  // Read by the check workers this process starts (they inherit its environment).
  process.env.HEAPGRADE_GROWTH_LOG = log;
  for (const file of args) {
    const r = await runTests(file, { checks: ['off-heap-metadata', 'churn'] });
    const c = r.checks.find((c) => c.name === 'off-heap-metadata');
    console.log(`${file}: off-heap-metadata ${c?.status ?? 'not run'}`);
  }
}
interface Logged {
  spec: string;
  rehearsal: boolean;
  noise: number;
  grewLive: number;
  grewFreed: number;
  bytesPerLiveBlock: number;
  bytesPerFreedBlock: number;
}
const rows = readFileSync(log, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Logged)
  .filter((r) => !r.rehearsal);
let overLive = 0;
let overFreed = 0;
let past = 0;
for (const r of rows) {
  if (r.grewLive > r.noise) overLive++;
  if (r.grewFreed > r.noise) overFreed++;
  if (Math.max(r.bytesPerLiveBlock, r.bytesPerFreedBlock) > OFF_HEAP_BYTES_PER_BLOCK) past++;
  console.log(
    `${r.spec}: grew ${(r.grewLive / 1024).toFixed(0)} KB live, ${(r.grewFreed / 1024).toFixed(0)} KB freed (floor ${(r.noise / 1024).toFixed(0)} KB): ` +
      `${r.bytesPerLiveBlock.toFixed(1)}/${r.bytesPerFreedBlock.toFixed(1)} B a block`,
  );
}
console.log(
  `${rows.length} measurements: over the noise floor ${overLive} while live blocks grew, ${overFreed} while they were freed; ` +
    `${past} past the limit${given ? '' : ` (load average ${loadavg()[0]!.toFixed(1)})`}`,
);
