/**
 * Tests that load the kit as a student's project does (through its package
 * exports, which point into dist/) must see the sources being tested, not an
 * old build: this rebuilds dist/ when it is missing or older than any source.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const KIT = new URL('../../', import.meta.url).pathname;
const SOURCES = ['harness', 'reference', 'suites', 'scripts', 'student-template', 'package.json', 'tsconfig.json', 'tsconfig.build.json'];

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((m, name) => (name === 'node_modules' ? m : Math.max(m, newestMtime(join(path, name)))), st.mtimeMs);
}

export function ensureFreshDist(): void {
  const marker = join(KIT, 'dist', 'harness', 'index.js');
  const built = existsSync(marker) ? statSync(marker).mtimeMs : 0;
  if (SOURCES.some((s) => newestMtime(join(KIT, s)) > built)) {
    execFileSync(process.execPath, [join(KIT, 'scripts', 'build', 'build.mjs')], { stdio: 'pipe' });
  }
}
