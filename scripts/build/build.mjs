#!/usr/bin/env node
// `npm run build` (and `prepack`, so `npm pack` and `npm publish` build too;
// not `prepare`, which a student's install of the packed kit would be asked
// to run without this script):
// compile the kit to dist/ with tsc, then copy beside the JavaScript every
// file the code reads at run time through `new URL('./x', import.meta.url)`:
// C headers and runtime, traces, HTML assets, shell wrappers, the bin, and
// the student templates (the bundled example and `heapgrade init`).
// The build goes to a private folder that replaces dist/ at the end, so a
// process reading dist/ meanwhile (a test, a second build) never sees half of it.
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, extname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = `${root}dist`;
const out = `${root}dist.tmp-${process.pid}/`;
const COMPILED_TREES = ['harness', 'reference', 'suites', 'scripts'];
// What a student's working copy grows that a template must not carry.
const NOT_TEMPLATE = new Set(['node_modules', '.heapgrade', 'package-lock.json', 'dist']);

rmSync(out, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
try {
  execFileSync(process.execPath, [tsc, '-p', `${root}tsconfig.build.json`, '--outDir', out], { stdio: 'inherit' });
} catch {
  rmSync(out, { recursive: true, force: true });
  console.error('build: tsc reported the errors above; dist/ is unchanged');
  process.exit(1);
}

// Everything but the TypeScript (compiled above) and this build script's own folder.
const isAsset = (src) => basename(src) !== 'build' && (statSync(src).isDirectory() || extname(src) !== '.ts');
for (const tree of COMPILED_TREES) {
  cpSync(`${root}${tree}`, `${out}${tree}`, { recursive: true, filter: (src) => !src.includes('/fixtures/') && isAsset(src) });
}
cpSync(`${root}student-template`, `${out}student-template`, { recursive: true, filter: (src) => !NOT_TEMPLATE.has(basename(src)) });
// npm leaves every file named .gitignore out of a package: the packed templates carry it
// under another name, which `heapgrade init` (harness/template/write-template.ts) turns back.
for (const language of readdirSync(`${out}student-template`)) {
  const ignore = `${out}student-template/${language}/.gitignore`;
  if (statSync(ignore, { throwIfNoEntry: false })) renameSync(ignore, `${out}student-template/${language}/gitignore.template`);
}

// Swap: the old dist/ moves aside, the new one takes its place (retried if another build swaps at the same moment).
const old = `${root}dist.old-${process.pid}`;
for (let attempt = 0; ; attempt++) {
  try {
    rmSync(old, { recursive: true, force: true });
    if (statSync(dist, { throwIfNoEntry: false })) renameSync(dist, old);
    renameSync(out, dist);
    break;
  } catch (e) {
    if (attempt >= 5) throw e;
  }
}
rmSync(old, { recursive: true, force: true });
console.error('built dist/');
