/**
 * What loading a C submission pays before the compile cache: the system
 * clang probe. Old: import execa and spawn clang --version, wasm-ld
 * --version and clang -print-targets in every process. Now: a stat of PATH,
 * and (when a clang is there) one cached answer.
 *   npx tsx bench/toolchain-probe.ts
 */
import { probeSystemToolchain } from '../harness/wasm/toolchain.ts';

const t0 = performance.now();
await probeSystemToolchain();
const t1 = performance.now();
const { execa } = await import('execa');
await Promise.all([
  execa('clang', ['--version'], { reject: false }),
  execa('wasm-ld', ['--version'], { reject: false }),
  execa('clang', ['-print-targets'], { reject: false }),
]);
const t2 = performance.now();
console.log(`probe now: ${(t1 - t0).toFixed(1)} ms; the old probe (execa import + 3 spawns): ${(t2 - t1).toFixed(1)} ms`);
