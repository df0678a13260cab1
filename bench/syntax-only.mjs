// The bundled clang: its start-up, then -fsyntax-only vs -c on the 2002 handout fixture, without the kit's gcc-compatible flags.
// Run from the repo root: node bench/syntax-only.mjs
import { runClang } from '@yowasp/clang';
import { readFileSync } from 'node:fs';
const dir = 'test/fixtures/c/handouts/malloclab-2002/';
const files = { 'mm.c': readFileSync(dir + 'mm.c', 'utf8'), 'memlib.h': readFileSync(dir + 'memlib.h', 'utf8') };
for (const f of ['mm.h', 'stdio.h', 'stdlib.h', 'assert.h', 'unistd.h', 'string.h', 'hg_kit.h']) files[f] = readFileSync('harness/wasm/include/' + f, 'utf8');
const out = [];
const cap = (b) => b && out.push(Buffer.from(b));
let t0 = Date.now();
await runClang(['clang', '--version'], {}, { stdout: cap, stderr: cap, fetchProgress() {} });
console.log('first run (start-up):', Date.now() - t0, 'ms');
for (const args of [['-fsyntax-only'], ['-c']]) {
  out.length = 0; t0 = Date.now();
  try { await runClang(['clang', '--target=wasm32-wasip1', '-O2', '-ffreestanding', '-nostdlibinc', '-isystem', '.', '-Wall', ...args, 'mm.c'], files, { stdout: cap, stderr: cap }); console.log(args, 'exit 0'); }
  catch (e) { console.log(args, 'exit', e.code); }
  console.log(args, Date.now() - t0, 'ms');
  console.log(Buffer.concat(out).toString().split('\n').filter((l) => /error|warning/.test(l)).join('\n'));
}
