/**
 * One entry point for every kind of submission: `ref:NAME` (the kit's own
 * allocators), a .ts/.js file or folder (TypeScript), a .c file or folder (C
 * compiled to WebAssembly).
 */
import { readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import type { LoadedSubmission } from '../contract/instance.ts';
import { LoadError, UsageError } from '../util/errors.ts';
import type { TsLoadOptions } from './load-ts.ts';

import { TS_ENTRIES, TS_EXTS } from './prepare.ts';

export interface LoadOptions extends TsLoadOptions {
  /** C only: which compiler ('auto' | 'yowasp' | 'system'). */
  compiler?: string;
  /** C only: the course profile (a built-in name or a profile file) whose data model, macros and headers the file is compiled with. @default 'heapgrade' */
  profile?: string;
}

export async function loadSubmission(spec: string, options: LoadOptions = {}): Promise<LoadedSubmission> {
  if (spec.startsWith('ref:')) return loadReference(spec, options);
  return loadFile(spec, options);
}

async function loadFile(spec: string, options: LoadOptions): Promise<LoadedSubmission> {
  const path = resolve(spec);
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new UsageError(`${spec}: no such file or folder. Give the path of your allocator (a .ts, .js or .c file, or a folder), or ref:NAME (see \`heapgrade list\`).`);
  }
  if (info.isDirectory()) {
    const names = await readdir(path);
    const entry = TS_ENTRIES.find((n) => names.includes(n));
    if (entry) return loadTs(spec, join(path, entry), options);
    if (names.some((n) => n.endsWith('.c'))) return loadC(spec, path, options);
    throw new LoadError(
      `${spec}: the folder has no allocator.ts, index.ts or .c file. Put your allocator in allocator.ts (TypeScript) or a .c file (C).`,
    );
  }
  const ext = extname(path);
  if (ext === '.c') return loadC(spec, path, options);
  if (TS_EXTS.has(ext)) return loadTs(spec, path, options);
  throw new LoadError(`${spec}: cannot grade a ${ext || 'file without extension'}; expected .ts, .js, .mjs or .c`);
}

/**
 * TypeScript's loader on first use: it brings ses and acorn (0.6 MB of
 * JavaScript), which a thread that only grades C (the grade's main thread,
 * its reference and workload lanes on a C file) never needs.
 */
async function loadTs(spec: string, entry: string, options: TsLoadOptions): Promise<LoadedSubmission> {
  const { loadTsSubmission } = await import('./load-ts.ts');
  return loadTsSubmission(spec, entry, options);
}

async function loadC(spec: string, path: string, options: LoadOptions): Promise<LoadedSubmission> {
  const { loadCSubmission } = await import('../wasm/load.ts');
  const { compileProfileOf } = await import('../wasm/compile-profile.ts');
  return loadCSubmission(path, { compiler: options.compiler as never, spec, profile: compileProfileOf(options.profile) });
}

export interface BuiltinInfo {
  name: string;
  description: string;
  language: 'ts' | 'c';
}

export async function listBuiltins(): Promise<BuiltinInfo[]> {
  const { REFERENCE_ALLOCATORS } = await import('../../reference/index.ts');
  const { C_REFERENCE_ALLOCATORS } = await import('../../reference/c/index.ts');
  return [
    ...REFERENCE_ALLOCATORS.map((r) => ({ name: r.name, description: r.description, language: 'ts' as const })),
    ...C_REFERENCE_ALLOCATORS.map((r) => ({ name: r.name, description: r.description, language: 'c' as const })),
  ];
}

async function loadReference(spec: string, options: LoadOptions): Promise<LoadedSubmission> {
  const name = spec.slice(4);
  const { REFERENCE_ALLOCATORS } = await import('../../reference/index.ts');
  const ts = REFERENCE_ALLOCATORS.find((r) => r.name === name);
  // Built-ins load through the same path as submissions (bundled, then
  // evaluated in a compartment), so they are measured exactly like them.
  if (ts) return loadTs(spec, ts.file, options);
  const { C_REFERENCE_ALLOCATORS } = await import('../../reference/c/index.ts');
  const c = C_REFERENCE_ALLOCATORS.find((r) => r.name === name);
  if (c) return c.load({ compiler: options.compiler as never });
  const all = (await listBuiltins()).map((b) => b.name).join(', ');
  throw new UsageError(`${spec}: no built-in allocator named "${name}". Built-ins: ${all}`);
}
