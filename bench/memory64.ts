/**
 * The cost of the 64-bit model: the same C allocators compiled to wasm32
 * (ILP32) and to memory64 (LP64, the 64-bit profiles), replaying the same
 * random trace of malloc/free/realloc without the checker, interleaved,
 * best of N rounds in process CPU time. Also the compile time per model.
 *
 *   npx tsx bench/memory64.ts [rounds=7] [ops=200000]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileC, type CompileProfile } from '../harness/wasm/compile.ts';
import { fromCompiled } from '../harness/wasm/load.ts';
import { mulberry32, randInt } from '../harness/util/rng.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rounds = Number(process.argv[2] ?? 7);
const nOps = Number(process.argv[3] ?? 200_000);
// Files that are correct in both data models (reference/c/reference.c is not: it keeps pointers in 4-byte words).
const FILES = [path.join(ROOT, 'test/fixtures/c/handouts/malloclab-2016/mm.c'), path.join(ROOT, 'test/fixtures/c/naive-malloclab.c')];
const model = (m: 'ilp32' | 'lp64'): CompileProfile => ({ name: 'malloclab-2016', model: m, defines: ['DRIVER'], staticDataExempt: [] });

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function replay(file: string, compiled: Awaited<ReturnType<typeof compileC>>): number {
  const inst = fromCompiled(file, compiled, {}, false).instantiate({ seed: 1, limit: 256 << 20 } as never);
  const a = inst.allocator;
  const rng = mulberry32(7);
  const live: number[] = [];
  const t0 = cpuMs();
  for (let i = 0; i < nOps; i++) {
    const r = rng();
    if (live.length > 0 && r < 0.45) {
      const k = randInt(rng, 0, live.length - 1);
      a.free(live[k]!);
      live[k] = live[live.length - 1]!;
      live.pop();
    } else if (live.length > 0 && r < 0.55) {
      const k = randInt(rng, 0, live.length - 1);
      const p = a.realloc(live[k]!, randInt(rng, 1, 2000));
      if (p) live[k] = p;
    } else {
      const p = a.malloc(randInt(rng, 1, 1000));
      if (p) live.push(p);
    }
  }
  for (const p of live) a.free(p);
  return cpuMs() - t0;
}

for (const file of FILES) {
  const built: Record<string, Awaited<ReturnType<typeof compileC>>> = {};
  for (const m of ['ilp32', 'lp64'] as const) {
    const t = Date.now();
    built[m] = await compileC(file, { profile: model(m) });
    console.log(`${path.basename(file)} ${m}: compiled in ${Date.now() - t} ms (${built[m]!.cached || 'cold'}), ${built[m]!.wasm.length} bytes`);
  }
  const best: Record<string, number> = { ilp32: Infinity, lp64: Infinity };
  for (let r = 0; r < rounds; r++) {
    for (const m of ['ilp32', 'lp64'] as const) best[m] = Math.min(best[m]!, replay(file, built[m]!));
  }
  console.log(`| ${path.basename(file)} | ${nOps} ops | wasm32 ${best.ilp32!.toFixed(0)} ms | memory64 ${best.lp64!.toFixed(0)} ms | ${(best.lp64! / best.ilp32!).toFixed(2)}x |`);
}
