/**
 * Compiles a C submission to a wasm32 module: clang -c (-O2 -Wall, the kit's
 * freestanding headers), a look at the symbols it defines (style, static
 * data), then wasm-ld with the kit runtime. The result is cached by a hash of
 * sources, flags, kit runtime and compiler version, on disk and in memory.
 */
import { LoadError } from '../util/errors.ts';
import { cacheDir, hashKey, readCache, writeCache } from './cache.ts';
import { compileOnce } from './compile-once.ts';
import { BASE_CFLAGS, dlmallocObjects, kitFiles, runtimeObjects, type RuntimeObject } from './kit-runtime.ts';
import { readCSources, type CSources } from './sources.ts';
import { declaredReturn, diagnostics, parseSymbolTable, type ReturnKind } from './symbols.ts';
import { getToolchain, type CompilerChoice, type FileMap, type Toolchain } from './toolchain.ts';

export type CStyle = 'libc' | 'malloclab';

export const LIBC_FUNCTIONS = ['malloc', 'free', 'calloc', 'realloc'] as const;
export const MALLOCLAB_FUNCTIONS = ['mm_init', 'mm_malloc', 'mm_free', 'mm_realloc'] as const;
/** Shadow stack for the C code. It sits at the bottom of memory (wasm-ld --stack-first), so an overflow traps. */
export const STACK_BYTES = 256 * 1024;
const LINK_VERSION = 'link-1';

export interface CompileOptions {
  /** @default 'auto' (a system clang with wasm32 + wasm-ld when present, else @yowasp/clang) */
  compiler?: CompilerChoice;
  /** More clang flags (e.g. `-DDEBUG`); part of the cache key. */
  cflags?: string[];
}

/** What the kit calls, as far as the module defines it. */
export interface CApi {
  style: CStyle;
  /** Return type of mm_init (malloclab): bool fails on 0, int on a negative value. */
  init: ReturnKind | null;
  /** mm_checkheap when defined, with its return type. */
  checkheap: ReturnKind | null;
  /** 'own' when the submission defines calloc/mm_calloc; 'kit' = mm_malloc + overflow check + memset. */
  calloc: 'own' | 'kit';
}

export interface CompiledMeta {
  api: CApi;
  warnings: string[];
  /** Named globals and statics of the submission's own objects (not the kit's), biggest first. */
  staticData: { bytes: number; symbols: { name: string; bytes: number }[] };
  compiler: string;
}

export interface CompiledC extends CompiledMeta {
  readonly key: string;
  readonly module: WebAssembly.Module;
  readonly wasm: Uint8Array;
  /** Where it came from this time. */
  readonly cached: 'memory' | 'disk' | false;
}

const memory = new Map<string, Promise<CompiledC>>();

/** Compiles `target` (a .c file, a folder of .c/.h files, or a list of files). Throws LoadError for the student's errors. */
export async function compileC(target: string | readonly string[], options: CompileOptions = {}): Promise<CompiledC> {
  return compileSources(await readCSources(target), options);
}

/** The kit's dlmalloc comparison build (wasi-libc's, linked with the kit runtime). */
export async function compileDlmalloc(options: CompileOptions = {}): Promise<CompiledC> {
  const tc = await getToolchain(options.compiler);
  const objs = await dlmallocObjects(tc);
  const key = hashKey(['dlmalloc', LINK_VERSION, tc.id, (await kitFiles()).hash, objs['dlmalloc.o'], objs['dlmalloc-heap.o']]);
  return memoize(key, tc, async () => {
    const api: CApi = { style: 'libc', init: null, checkheap: null, calloc: 'own' };
    const wasm = await link(tc, api, { ...objs }, 'dlmalloc');
    return { wasm, meta: { api, warnings: [], staticData: { bytes: 0, symbols: [] }, compiler: tc.id } };
  });
}

export async function compileSources(src: CSources, options: CompileOptions = {}): Promise<CompiledC> {
  const tc = await getToolchain(options.compiler);
  const kit = await kitFiles();
  const cflags = [...BASE_CFLAGS, '-Wall', ...(options.cflags ?? [])];
  const files = [...src.units, ...src.headers].flatMap((f) => [f.name, f.text]);
  const key = hashKey(['submission', LINK_VERSION, tc.id, kit.hash, ...cflags, `${src.units.length}`, ...files]);
  return memoize(key, tc, () => build(tc, src, cflags));
}

function memoize(key: string, tc: Toolchain, make: () => Promise<{ wasm: Uint8Array; meta: CompiledMeta }>): Promise<CompiledC> {
  const hit = memory.get(key);
  if (hit) return hit.then((c) => ({ ...c, cached: 'memory' as const }));
  // Across processes and threads: one compile per key, the others read its result (compile-once.ts).
  const p = compileOnce<CompiledC>(cacheDir(), key, {
    lookup: async () => {
      const disk = await readCache(key, ['wasm', 'json']);
      if (disk) {
        const meta = JSON.parse(Buffer.from(disk['json']!).toString('utf8')) as CompiledMeta;
        return { ...meta, key, wasm: disk['wasm']!, module: new WebAssembly.Module(disk['wasm']! as Uint8Array<ArrayBuffer>), cached: 'disk' };
      }
      // The student's compile error, stored by the process that compiled this key.
      const failed = await readCache(key, ['error']);
      if (failed) throw new LoadError(Buffer.from(failed['error']!).toString('utf8'));
      return null;
    },
    make: async () => {
      let built: { wasm: Uint8Array; meta: CompiledMeta };
      try {
        built = await make();
      } catch (e) {
        // Deterministic for this key (same sources, flags, compiler): the waiting processes read it instead of compiling again.
        if (e instanceof LoadError) await writeCache(key, { error: Buffer.from(e.message) });
        throw e;
      }
      const { wasm, meta } = built;
      const module = new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>);
      await writeCache(key, { wasm, json: Buffer.from(JSON.stringify(meta)) });
      return { ...meta, key, wasm, module, cached: false };
    },
  });
  memory.set(key, p);
  // A failed compile is not cached in memory: the student will edit and retry.
  p.catch(() => memory.delete(key));
  return p;
}

async function build(tc: Toolchain, src: CSources, cflags: string[]): Promise<{ wasm: Uint8Array; meta: CompiledMeta }> {
  const kit = await kitFiles();
  const inputs: FileMap = { ...kit.files };
  for (const f of [...src.units, ...src.headers]) inputs[f.name] = f.text;
  const objects = src.units.map((u) => u.name.replace(/\.c$/i, '.o'));
  const cc = await tc.run('clang', [...cflags, '-c', ...src.units.map((u) => u.name)], inputs, objects);
  if (!cc.ok || objects.some((o) => !cc.files[o])) {
    throw new LoadError(`${src.root} did not compile:\n${cc.output.trim()}`);
  }
  const warnings = diagnostics(cc.output, 'warning');
  const studentObjs: FileMap = {};
  for (const o of objects) studentObjs[o] = cc.files[o]!;
  const dump = await tc.run('llvm-objdump', ['-t', ...objects], studentObjs, []);
  const syms = parseSymbolTable(dump.output);
  const texts = src.units.map((u) => u.text);
  const api = detectApi(src.root, syms.functions, texts);
  const wasm = await link(tc, api, studentObjs, src.root);
  const bytes = syms.data.reduce((s, d) => s + d.bytes, 0);
  return { wasm, meta: { api, warnings, staticData: { bytes, symbols: syms.data }, compiler: tc.id } };
}

/** The style from the defined symbols; LoadError listing what is missing. */
export function detectApi(root: string, defined: ReadonlySet<string>, texts: readonly string[]): CApi {
  const has = (n: string): boolean => defined.has(n);
  const lab = MALLOCLAB_FUNCTIONS.filter(has);
  const libc = LIBC_FUNCTIONS.filter(has);
  const checkheap = has('mm_checkheap') ? declaredReturn(texts, 'mm_checkheap') : null;
  if (lab.length > 0) {
    const missing = MALLOCLAB_FUNCTIONS.filter((n) => !has(n));
    if (missing.length) {
      throw new LoadError(
        `${root} looks like a malloclab submission (it defines ${lab.join(', ')}) but does not define ${missing.join(', ')}. ` +
          'A malloclab submission defines mm_init, mm_malloc, mm_free and mm_realloc (mm_calloc and mm_checkheap are optional) and gets memory from mem_sbrk.',
      );
    }
    return { style: 'malloclab', init: declaredReturn(texts, 'mm_init'), checkheap, calloc: has('mm_calloc') ? 'own' : 'kit' };
  }
  if (libc.length > 0) {
    const missing = LIBC_FUNCTIONS.filter((n) => !has(n));
    if (missing.length) {
      throw new LoadError(
        `${root} looks like a libc-style submission (it defines ${libc.join(', ')}) but does not define ${missing.join(', ')}. ` +
          'A libc-style submission defines malloc, free, calloc and realloc and gets memory from sbrk (<unistd.h>).',
      );
    }
    return { style: 'libc', init: null, checkheap, calloc: 'own' };
  }
  throw new LoadError(
    `${root} defines neither allocator interface. Define either malloc, free, calloc and realloc (libc style, memory from sbrk in <unistd.h>), ` +
      'or mm_init, mm_malloc, mm_free and mm_realloc (malloclab style, memory from mem_sbrk in "memlib.h"; mm_calloc and mm_checkheap optional). ' +
      'Check that they are not `static`.',
  );
}

async function link(tc: Toolchain, api: CApi, objs: FileMap, root: string): Promise<Uint8Array> {
  const rt = await runtimeObjects(tc);
  const kitObjs: RuntimeObject[] = ['hg_runtime.o', 'hg_stdio.o'];
  if (api.style === 'malloclab' && api.calloc === 'kit') kitObjs.push('hg_mm_calloc.o');
  const exports = api.style === 'libc' ? [...LIBC_FUNCTIONS] : [...MALLOCLAB_FUNCTIONS, api.calloc === 'own' ? 'mm_calloc' : 'hg_kit_calloc'];
  if (api.checkheap) exports.push('mm_checkheap');
  const inputs: FileMap = { ...objs };
  for (const o of kitObjs) inputs[`kit-${o}`] = rt[o];
  const args = [
    '--no-entry',
    '--stack-first',
    '-z',
    `stack-size=${STACK_BYTES}`,
    '--export=__heap_base',
    '--export=__data_end',
    '--export=__stack_pointer',
    ...exports.map((e) => `--export=${e}`),
    ...Object.keys(inputs),
    '-o',
    'out.wasm',
  ];
  const r = await tc.run('wasm-ld', args, inputs, ['out.wasm']);
  const wasm = r.files['out.wasm'];
  if (!r.ok || !wasm) {
    const hint =
      api.style === 'malloclab'
        ? 'A malloclab submission gets memory from mem_sbrk ("memlib.h") and may not call malloc/free; the kit has no libc beyond its headers.'
        : 'The kit has no libc beyond its headers (string.h, stdio.h, stdlib.h, unistd.h, assert.h).';
    throw new LoadError(`${root} did not link:\n${r.output.trim()}\n${hint}`);
  }
  return wasm;
}
