/**
 * The kit's side of every C link: its headers, its small C runtime (string,
 * printf, assert, sbrk/memlib over host imports), compiled once per process
 * and cached on disk like submissions, and wasi-libc's dlmalloc for
 * `ref:dlmalloc`.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheDir, hashKey, readCache, writeCache } from './cache.ts';
import { compileOnce } from './compile-once.ts';
import type { DataModel } from '../profiles/types.ts';
import { yowaspDir, type FileMap, type Toolchain } from './toolchain.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** Where the kit's files sit in the compiler's (virtual) working folder. */
export const KIT = 'heapgrade-kit';
export const KIT_INCLUDE = `${KIT}/include`;

/**
 * The clang target of each data model. wasm64 (memory64) has no WASI sysroot
 * in @yowasp/clang, which does not matter here: the kit's headers and runtime
 * are freestanding, and only ILP32 links wasi-libc's libc.a for what the kit
 * does not define (libm).
 */
export const TARGETS: Record<DataModel, string> = { ilp32: 'wasm32-wasip1', lp64: 'wasm64-unknown-unknown' };

/** Compiler flags shared by the kit runtime and submissions, for one data model. */
export function baseCflags(model: DataModel = 'ilp32'): string[] {
  return [`--target=${TARGETS[model]}`, ...COMMON_CFLAGS];
}

const COMMON_CFLAGS: readonly string[] = [
  '-O2',
  // No libc: the kit's headers and runtime are all there is, so a student's
  // `malloc` collides with nothing, and clang never rewrites malloc+memset into calloc.
  '-ffreestanding',
  '-nostdlibinc',
  '-isystem',
  KIT_INCLUDE,
  '-fno-common',
  '-fdiagnostics-color=never',
];

/** Compiler flags of the ILP32 (wasm32) model, the default. */
export const BASE_CFLAGS: readonly string[] = baseCflags('ilp32');

const RUNTIME_SOURCES = ['hg_runtime.c', 'hg_stdio.c', 'hg_mm_calloc.c', 'hg_math.c', 'hg_sbrk_intptr.c', 'hg_sbrk_int.c'] as const;
export type RuntimeObject = 'hg_runtime.o' | 'hg_stdio.o' | 'hg_mm_calloc.o' | 'hg_math.o' | 'hg_sbrk_intptr.o' | 'hg_sbrk_int.o';

let kitFilesP: Promise<{ files: FileMap; hash: string }> | undefined;

/** The kit's headers and runtime sources as compiler inputs, with their hash (part of every cache key). */
export function kitFiles(): Promise<{ files: FileMap; hash: string }> {
  kitFilesP ??= (async () => {
    const files: FileMap = {};
    for (const rel of await listFiles(path.join(HERE, 'include'))) {
      files[`${KIT_INCLUDE}/${rel}`] = await readFile(path.join(HERE, 'include', rel), 'utf8');
    }
    for (const name of RUNTIME_SOURCES) files[`${KIT}/runtime/${name}`] = await readFile(path.join(HERE, 'runtime', name), 'utf8');
    const names = Object.keys(files).sort();
    return { files, hash: hashKey(names.flatMap((n) => [n, files[n]!])) };
  })();
  return kitFilesP;
}

const runtimeP = new Map<string, Promise<Record<RuntimeObject, Uint8Array>>>();

/** The compiled kit runtime for this toolchain and data model. */
export function runtimeObjects(tc: Toolchain, model: DataModel = 'ilp32'): Promise<Record<RuntimeObject, Uint8Array>> {
  let p = runtimeP.get(`${tc.id}/${model}`);
  if (!p) {
    p = buildRuntime(tc, model);
    runtimeP.set(`${tc.id}/${model}`, p);
  }
  return p;
}

async function buildRuntime(tc: Toolchain, model: DataModel): Promise<Record<RuntimeObject, Uint8Array>> {
  const kit = await kitFiles();
  const objects = RUNTIME_SOURCES.map((s) => s.replace(/\.c$/, '.o') as RuntimeObject);
  const flags = baseCflags(model);
  const key = hashKey(['runtime', tc.id, kit.hash, ...flags]);
  // One build across processes too (compile-once.ts): concurrent first compiles wait for it.
  return compileOnce(cacheDir(), key, {
    lookup: async () => (await readCache(key, objects)) as Record<RuntimeObject, Uint8Array> | null,
    make: async () => {
      const args = [...flags, '-Wall', '-Werror', '-c', ...RUNTIME_SOURCES.map((s) => `${KIT}/runtime/${s}`)];
      const r = await tc.run('clang', args, kit.files, objects);
      if (!r.ok || objects.some((o) => !r.files[o])) throw new Error(`The kit's C runtime did not compile (a kit bug):\n${r.output}`);
      await writeCache(key, r.files);
      return r.files as Record<RuntimeObject, Uint8Array>;
    },
  });
}

let dlmallocP: Promise<{ 'dlmalloc.o': Uint8Array; 'dlmalloc-heap.o': Uint8Array }> | undefined;

/**
 * dlmalloc as wasi-libc ships it (its libc.a is inside @yowasp/clang). At
 * start-up it claims [__heap_base, __heap_end), memory outside the kit's
 * heap; both references are renamed to two labels at one address
 * (runtime/hg_dlmalloc_heap.s), so that region is empty and all its memory
 * comes from the kit's sbrk like any submission's. (llvm-objcopy cannot
 * rename symbols in wasm objects; the new names have the same lengths, so the
 * symbol table is patched in place.)
 */
export function dlmallocObjects(tc: Toolchain): Promise<{ 'dlmalloc.o': Uint8Array; 'dlmalloc-heap.o': Uint8Array }> {
  dlmallocP ??= (async () => {
    const libc = await wasiLibc();
    const shim = await readFile(path.join(HERE, 'runtime', 'hg_dlmalloc_heap.s'), 'utf8');
    const key = hashKey(['dlmalloc', tc.id, libc, shim]);
    const cached = await readCache(key, ['dl.o', 'heap.o']);
    if (cached) return { 'dlmalloc.o': cached['dl.o']!, 'dlmalloc-heap.o': cached['heap.o']! };
    const x = await tc.run('llvm-ar', ['x', 'libc.a', 'dlmalloc.c.obj'], { 'libc.a': libc }, ['dlmalloc.c.obj']);
    const obj = x.files['dlmalloc.c.obj'];
    if (!obj) throw new Error(`Could not extract dlmalloc from wasi-libc's libc.a:\n${x.output}`);
    const dl = renameSymbol(renameSymbol(obj, '__heap_base', 'hg_dlheap_b'), '__heap_end', 'hg_dlheap_');
    const a = await tc.run('clang', ['--target=wasm32-wasip1', '-c', 'heap.s', '-o', 'heap.o'], { 'heap.s': shim }, ['heap.o']);
    const heap = a.files['heap.o'];
    if (!heap) throw new Error(`The kit's dlmalloc shim did not assemble (a kit bug):\n${a.output}`);
    await writeCache(key, { 'dl.o': dl, 'heap.o': heap });
    return { 'dlmalloc.o': dl, 'dlmalloc-heap.o': heap };
  })();
  return dlmallocP;
}

let libcP: Promise<Uint8Array> | undefined;

/** wasi-libc's libc.a, read out of @yowasp/clang's resource tarball (wasm32 only). */
export function wasiLibc(): Promise<Uint8Array> {
  return (libcP ??= readWasiLibc());
}

async function readWasiLibc(): Promise<Uint8Array> {
  const tarPath = path.join(yowaspDir(), 'gen', 'llvm-resources.tar');
  const tar = await readFile(tarPath);
  const want = 'lib/wasm32-wasip1/libc.a';
  for (let off = 0; off + 512 <= tar.length; ) {
    const name = tar.toString('latin1', off, off + 100).replace(/\0.*$/s, '');
    if (!name) break;
    const prefix = tar.toString('latin1', off + 345, off + 500).replace(/\0.*$/s, '');
    const size = parseInt(tar.toString('latin1', off + 124, off + 136).replace(/\0.*$/s, '').trim() || '0', 8);
    const full = prefix ? `${prefix}/${name}` : name;
    if (full.replace(/^\.\//, '') === want) return new Uint8Array(tar.subarray(off + 512, off + 512 + size));
    off += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error(`wasi-libc's libc.a (${want}) is not in ${tarPath}: ref:dlmalloc needs @yowasp/clang's sysroot`);
}

/** Replaces a length-prefixed name in a wasm object's symbol table (same length only). */
function renameSymbol(obj: Uint8Array, from: string, to: string): Uint8Array {
  if (from.length !== to.length || from.length > 127) throw new Error('renameSymbol: names must have the same short length');
  const needle = Buffer.from([from.length, ...Buffer.from(from, 'latin1')]);
  const out = Buffer.from(obj);
  let hits = 0;
  for (let i = out.indexOf(needle); i >= 0; i = out.indexOf(needle, i + 1)) {
    out.write(to, i + 1, 'latin1');
    hits++;
  }
  if (hits === 0) throw new Error(`dlmalloc.o no longer references ${from}: update the kit's dlmalloc preparation`);
  return new Uint8Array(out);
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...(await listFiles(path.join(dir, e.name), `${prefix}${e.name}/`)));
    else out.push(`${prefix}${e.name}`);
  }
  return out.sort();
}
