#!/usr/bin/env node
// `npm run build` (and `prepare`, so `npm ci` and `npm pack` build too):
// compile the kit to dist/ with tsc, then copy beside the JavaScript every
// file the code reads at run time through `new URL('./x', import.meta.url)`:
// C headers and runtime, traces, HTML assets, shell wrappers, the bin, and
// the student templates (the bundled example and `heapgrade init`).
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, extname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const dist = `${root}dist/`;
const COMPILED_TREES = ['harness', 'reference', 'suites', 'scripts'];
// What a student's working copy grows that a template must not carry.
const NOT_TEMPLATE = new Set(['node_modules', '.heapgrade', 'package-lock.json', 'dist']);

rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
try {
  execFileSync(process.execPath, [tsc, '-p', `${root}tsconfig.build.json`], { stdio: 'inherit' });
} catch {
  console.error('build: tsc reported the errors above; dist/ is incomplete');
  process.exit(1);
}

// Everything but the TypeScript (compiled above) and this build script's own folder.
const isAsset = (src) => basename(src) !== 'build' && (statSync(src).isDirectory() || extname(src) !== '.ts');
for (const tree of COMPILED_TREES) {
  cpSync(`${root}${tree}`, `${dist}${tree}`, { recursive: true, filter: (src) => !src.includes('/fixtures/') && isAsset(src) });
}
cpSync(`${root}student-template`, `${dist}student-template`, { recursive: true, filter: (src) => !NOT_TEMPLATE.has(basename(src)) });
// npm leaves every file named .gitignore out of a package: the packed templates carry it
// under another name, which `heapgrade init` (harness/template/write-template.ts) turns back.
for (const language of readdirSync(`${dist}student-template`)) {
  const ignore = `${dist}student-template/${language}/.gitignore`;
  if (statSync(ignore, { throwIfNoEntry: false })) renameSync(ignore, `${dist}student-template/${language}/gitignore.template`);
}
console.log('built dist/');
