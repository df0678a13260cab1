/**
 * Which submissions are C, and the built-in C reference: what the loader
 * compiles, and what an isolated run compiles first in the parent
 * (harness/isolation/precompile.ts) so the limited child only reads the
 * compile cache. Mirrors harness/loader/load.ts: a `.c` file, or a folder
 * without a TypeScript entry that holds `.c` files, is C.
 */
import { readdirSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
// The loader's TypeScript entries: a folder with one of them is TypeScript even if it holds .c files.
import { TS_ENTRIES } from './prepare.ts';

/** The built-in C allocator `heapgrade grade` compares a C submission's speed with. */
export const C_REFERENCE_SPEC = 'ref:reference-c';

/** The path the loader compiles for `spec` (the .c file or the folder), or undefined when it is not C. */
export function cSubmissionTarget(spec: string): string | undefined {
  if (spec === C_REFERENCE_SPEC) return spec;
  if (spec.startsWith('ref:')) return undefined;
  const path = resolve(spec);
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    return undefined; // the child reports the missing file as the loader words it
  }
  if (!isDir) return extname(path) === '.c' ? path : undefined;
  const names = readdirSync(path);
  if (TS_ENTRIES.some((n) => names.includes(n))) return undefined;
  return names.some((n) => n.endsWith('.c')) ? path : undefined;
}
