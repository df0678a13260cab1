// The static-data check's cost beside the compile (harness/wasm/static-size.ts), bundled clang, one warm process:
// CPU per step on reference.c, interleaved, medians. Run from the repo root: node bench/compile-ir-check.mjs [runs]
import { runClang, runLLVM } from '@yowasp/clang';
import { readdirSync, readFileSync, statSync } from 'node:fs';
const inc = 'harness/wasm/include/';
const files = { 'heapgrade-kit': { include: {} }, 'mm.c': readFileSync('reference/c/reference.c', 'utf8') };
for (const f of readdirSync(inc, { recursive: true })) {
  if (statSync(inc + f).isDirectory()) continue;
  const parts = f.split('/');
  let dir = files['heapgrade-kit'].include;
  for (const p of parts.slice(0, -1)) dir = dir[p] ??= {};
  dir[parts.at(-1)] = readFileSync(inc + f, 'utf8');
}
const base = ['--target=wasm32-wasip1', '-O2', '-ffreestanding', '-nostdlibinc', '-isystem', 'heapgrade-kit/include', '-fno-common', '-fdiagnostics-color=never', '-I.', '-Wall'];
const ir = ['-S', '-emit-llvm', '-Xclang', '-disable-llvm-passes'];
await runLLVM(null, {}, { fetchProgress: () => {} });
const run = async (args) => {
  try {
    await runClang(['clang', ...args, 'mm.c'], files, { stdout: () => {}, stderr: () => {} });
  } catch (e) {
    console.log(args.join(' '), 'exit', e.code);
  }
};
const steps = {
  'clang -g -c (the compile)': [...base, '-g', '-c'],
  '-fsyntax-only': [...base, '-fsyntax-only'],
  'IR -g0 to stdout (the check)': [...base, '-g0', ...ir, '-o', '-'],
  'IR -g0 to a file': [...base, '-g0', ...ir],
  'IR -g to a file': [...base, '-g', ...ir],
};
const cpu = () => { const c = process.cpuUsage(); return (c.user + c.system) / 1000; };
const times = {};
await run(steps['clang -g -c (the compile)']);
for (let i = 0; i < Number(process.argv[2] ?? 7); i++) {
  for (const [name, args] of Object.entries(steps)) {
    const t = cpu();
    await run(args);
    (times[name] ??= []).push(cpu() - t);
  }
}
console.log('| step | CPU, median (min-max) |\n| --- | --- |');
for (const [name, v] of Object.entries(times)) {
  v.sort((a, b) => a - b);
  console.log(`| ${name} | ${v[v.length >> 1].toFixed(0)} ms (${v[0].toFixed(0)}-${v.at(-1).toFixed(0)}) |`);
}
