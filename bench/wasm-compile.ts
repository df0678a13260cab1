/**
 * C submissions: compile time (cold process, warm compiler, disk cache) and
 * one C reference run per workload-like trace, printed as markdown rows for
 * bench/wasm-notes.md.
 *   npx tsx bench/wasm-compile.ts
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { compileC } from '../harness/wasm/compile.ts';
import { loadCSubmission, loadDlmalloc } from '../harness/wasm/load.ts';
import { getToolchain } from '../harness/wasm/toolchain.ts';
import { randomOps, runOps } from '../test/wasm/helpers.ts';

process.env['HEAPGRADE_CACHE_DIR'] = await mkdtemp(path.join(os.tmpdir(), 'heapgrade-bench-'));
const ref = path.resolve('reference/c/reference.c');
const ms = async (f: () => Promise<unknown>): Promise<number> => {
  const t = performance.now();
  await f();
  return performance.now() - t;
};
const rows: [string, string][] = [];
rows.push(['toolchain start-up (resource load)', `${(await ms(() => getToolchain('yowasp'))).toFixed(0)} ms`]);
rows.push(['reference.c, first compile in the process (cold compiler, runtime built too)', `${(await ms(() => compileC(ref, { compiler: 'yowasp' }))).toFixed(0)} ms`]);
for (let i = 1; i <= 2; i++) {
  rows.push([`reference.c -DV=${i}, warm compiler, not cached`, `${(await ms(() => compileC(ref, { compiler: 'yowasp', cflags: [`-DV=${i}`] }))).toFixed(0)} ms`]);
}
rows.push(['reference.c again (memory cache)', `${(await ms(() => compileC(ref, { compiler: 'yowasp' }))).toFixed(2)} ms`]);
for (const [name, load] of [['reference-c', () => loadCSubmission(ref, { compiler: 'yowasp' })], ['dlmalloc', () => loadDlmalloc({ compiler: 'yowasp' })]] as const) {
  const sub = await load();
  const ops = randomOps(42, 100_000);
  const inst = sub.instantiate({ seed: 1, limit: 64 * 1024 * 1024 });
  let v: unknown;
  const t = await ms(async () => {
    v = runOps(inst, ops);
  });
  rows.push([`${name}: 100k random ops through the Checker (${v === null ? 'pass' : 'FAIL'}), peak heap ${inst.heap.stats.peakExtent} B`, `${t.toFixed(0)} ms`]);
  const raw = sub.instantiate({ seed: 1, limit: 64 * 1024 * 1024 });
  const ptrs = new Array<number>(1000).fill(0);
  const tr = await ms(async () => {
    for (let k = 0; k < 200_000; k++) {
      const j = k % 1000;
      if (ptrs[j]) raw.allocator.free(ptrs[j]!);
      ptrs[j] = raw.allocator.malloc(16 + ((k * 37) % 512));
    }
  });
  rows.push([`${name}: 200k malloc+free pairs, no checker`, `${tr.toFixed(0)} ms (${((400_000 / tr) * 1000 / 1e6).toFixed(2)} M calls/s)`]);
}
console.log('| measurement | time |\n| --- | --- |');
for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
