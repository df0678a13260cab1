/**
 * Compiles a C submission to a wasm32 module: clang -c (-O2 -Wall, the kit's
 * freestanding headers), a look at the symbols it defines (style, static
 * data), then wasm-ld with the kit runtime. The result is cached by a hash of
 * sources, flags, kit runtime and compiler version, on disk and in memory.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { LoadError } from '../util/errors.ts';
import { cacheDir, hashKey, readCache, writeCache } from './cache.ts';
import { compileOnce } from './compile-once.ts';
import type { DataModel } from '../profiles/types.ts';
import { codeOnly, declarationFlags, type HandoutDeclarations } from '../profiles/declarations.ts';
import { baseCflags, dlmallocObjects, kitFiles, runtimeObjects, wasiLibc, type RuntimeObject } from './kit-runtime.ts';
import { readCSources, type CSources } from './sources.ts';
import { dataSegmentBytes, declaredReturn, diagnostics, isCompoundData, parseDiagnostics, parseSymbolTable, type Diagnostic, type ReturnKind } from './symbols.ts';
import { getToolchain, type CompilerChoice, type FileMap, type Toolchain } from './toolchain.ts';
import { instrumentModule, METER_PASS_VERSION } from '../meter/wasm-pass.ts';
import { buildSourceLines, stripDebug, type SourceLines } from './debug-lines.ts';
import { checkStaticDataSize, irGlobalSizes } from './static-size.ts';

export type CStyle = 'libc' | 'malloclab';

export const LIBC_FUNCTIONS = ['malloc', 'free', 'calloc', 'realloc'] as const;
export const MALLOCLAB_FUNCTIONS = ['mm_init', 'mm_malloc', 'mm_free', 'mm_realloc'] as const;
/** Shadow stack for the C code. It sits at the bottom of memory (wasm-ld --stack-first), so an overflow traps. */
export const STACK_BYTES = 256 * 1024;
// The metering pass is part of what the cache stores: its version is part of every key.
/**
 * Bytes of string literals and compiler constants (data the symbols do not
 * name) not counted as static data: room for the format strings of printf
 * debugging and a checker's messages, far less than a useful side table
 * (README, "What is checked").
 */
export const READ_ONLY_STRING_ALLOWANCE = 2048;

// link-3: the student's files are compiled with -g and the module carries a line table (debug-lines.ts).
// link-4: literals counted in staticData (dataSegmentBytes).
// link-5: staticData symbols say which are compound (the 2002 static-data rule).
// link-6: static data over MAX_STATIC_DATA_BYTES is a load failure, found on the IR before the backend (static-size.ts).
// link-7: a handout global is exempt only as the main file's own, of its type and size (handoutGlobals).
const LINK_VERSION = `link-7+${METER_PASS_VERSION}`;

/**
 * What gcc, the handouts' compiler, only warns about stays a warning (clang
 * 16+ makes these errors): `PUT(p, NULL)` (int-conversion), a call before
 * the definition (implicit-function-declaration), K&R leftovers. They come
 * back as data (file, line, col) in `diagnostics`.
 */
export const GCC_COMPAT_FLAGS: readonly string[] = [
  '-Wno-unknown-warning-option',
  '-Wno-error=int-conversion',
  '-Wno-error=implicit-function-declaration',
  '-Wno-error=implicit-int',
  '-Wno-error=incompatible-pointer-types',
  '-Wno-error=incompatible-function-pointer-types',
  '-Wno-error=return-type',
];

/** The part of a course profile that the compile depends on (see harness/profiles). */
export interface CompileProfile {
  /** Its name, as the macro HG_HANDOUT_<NAME>. */
  name: string;
  model: DataModel;
  /** Macros the handout's driver defines (DRIVER). */
  defines: readonly string[];
  /** The handout mm.h's mm_init/mm_checkheap, for a file that calls them without defining them. */
  declarations?: HandoutDeclarations;
  /** Globals the handout requires, left out of the static-data count (`team`). */
  staticDataExempt: readonly string[];
}

export interface CompileOptions {
  /** @default 'auto' (a system clang with wasm32 + wasm-ld when present, else @yowasp/clang) */
  compiler?: CompilerChoice;
  /** More clang flags (e.g. `-DDEBUG`); part of the cache key. */
  cflags?: string[];
  /** The handout the file was written for. @default the `heapgrade` profile's (wasm32, no macros) */
  profile?: CompileProfile;
}

const DEFAULT_COMPILE_PROFILE: CompileProfile = { name: 'heapgrade', model: 'ilp32', defines: [], staticDataExempt: [] };

/** What the kit calls, as far as the module defines it. */
export interface CApi {
  style: CStyle;
  /** Return type of mm_init (malloclab): bool fails on 0, int on a negative value. */
  init: ReturnKind | null;
  /** mm_checkheap when defined, with its return type. */
  checkheap: ReturnKind | null;
  /** 'own' when the submission defines calloc/mm_calloc; 'kit' = mm_malloc + overflow check + memset. */
  calloc: 'own' | 'kit';
  /** The parameter of mem_sbrk as the submission (or its course's memlib.h) declares it; a different wasm signature under memory64. */
  memSbrk?: 'int' | 'intptr_t';
}

export interface CompiledMeta {
  api: CApi;
  /** The compiler's warnings, as it printed them (file:line:col: warning: ... plus the caret lines). */
  warnings: string[];
  /** The same warnings as data, for reporters. */
  diagnostics: Diagnostic[];
  /** ILP32 (wasm32) or LP64 (memory64). */
  model: DataModel;
  /** Named globals and statics of the submission's own objects (not the kit's), biggest first; `compound`: an array or struct (isCompoundData). */
  staticData: { bytes: number; symbols: { name: string; bytes: number; compound?: true }[] };
  compiler: string;
  /** Code offsets of the instrumented module to the student's `file:line` (absent for the kit's own builds). */
  lines?: SourceLines;
}

export interface CompiledC extends CompiledMeta {
  readonly key: string;
  readonly module: WebAssembly.Module;
  readonly wasm: Uint8Array;
  /** Where it came from this time. */
  readonly cached: 'memory' | 'disk' | false;
  /** The module as linked, before the metering pass: only on a fresh compile (for benchmarks of the pass). */
  readonly linked?: Uint8Array;
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
    const wasm = await link(tc, api, { ...objs }, 'dlmalloc', 'ilp32');
    return { wasm, meta: { api, warnings: [], diagnostics: [], model: 'ilp32', staticData: { bytes: 0, symbols: [] }, compiler: tc.id } };
  });
}

export async function compileSources(src: CSources, options: CompileOptions = {}): Promise<CompiledC> {
  const { tc, key, cflags, profile } = await compileKey(src, options);
  if (profile.model === 'lp64') enableMemory64();
  return memoize(key, tc, () => build(tc, src, cflags, profile), src.root);
}

/**
 * Whether compiling `target` would run the compiler (nothing in the compile
 * cache for it, nor its stored error), and which compiler: so a front end
 * can say "compiling" only when it does, and with which clang.
 */
export async function compileNeeded(target: string | readonly string[], options: CompileOptions = {}): Promise<{ needed: boolean; compiler: string }> {
  const { tc, key } = await compileKey(await readCSources(target), options);
  const stored = memory.has(key) || ['wasm', 'error'].some((ext) => existsSync(path.join(cacheDir(), `${key}.${ext}`)));
  return { needed: !stored, compiler: tc.id };
}

async function compileKey(src: CSources, options: CompileOptions): Promise<{ tc: Toolchain; key: string; cflags: string[]; profile: CompileProfile }> {
  const tc = await getToolchain(options.compiler);
  const kit = await kitFiles();
  const profile = options.profile ?? DEFAULT_COMPILE_PROFILE;
  // mm.h declares mm_init/mm_checkheap as this file defines them (harness/profiles/declarations.ts).
  const decls = declarationFlags(
    [...src.units, ...src.headers].map((f) => f.text),
    profile.declarations ?? { mm_init: null, mm_checkheap: null },
  );
  const cflags = profileCflags(profile, [...decls, ...(options.cflags ?? [])]);
  const files = [...src.units, ...src.headers].flatMap((f) => [f.name, f.text]);
  const key = hashKey(['submission', LINK_VERSION, tc.id, kit.hash, ...cflags, ...profile.staticDataExempt, `${src.units.length}`, ...files]);
  return { tc, key, cflags, profile };
}

/** The clang flags for a submission under `profile`. */
export function profileCflags(profile: CompileProfile, extra: readonly string[] = []): string[] {
  return [
    ...baseCflags(profile.model),
    // The submission's own folder first: a course's memlib.h/mm.h beside the file wins over the kit's, also as <memlib.h>.
    '-I.',
    '-Wall',
    ...GCC_COMPAT_FLAGS,
    `-DHG_HANDOUT_${profile.name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`,
    ...profile.defines.map((d) => `-D${d}`),
    ...extra,
  ];
}

let memory64 = false;
/**
 * Node 20's V8 (11.3) runs memory64 modules only behind
 * --experimental-wasm-memory64; setting it at run time works for modules
 * compiled afterwards, in this process and its worker threads (measured,
 * README "Course profiles"). Harmless for wasm32 modules.
 */
export function enableMemory64(): void {
  if (memory64) return;
  memory64 = true;
  v8.setFlagsFromString('--experimental-wasm-memory64');
}

/**
 * clang passes inline WebAssembly (`__asm__`) through without checking its
 * types, so a submission can make a module that is not valid. Checked in
 * full here, whatever V8's flags are at this moment: `new WebAssembly.Module`
 * validates each function only before its first call while any thread's
 * bundled clang runs (baseline-wasm.ts), and V8 then keeps that module for
 * the same bytes in every thread of the process, so the same file would load
 * or not depending on what else compiled at the time (and a broken function
 * would fail only when called). `WebAssembly.validate` always validates every
 * function. Deterministic for the key: stored as the submission's compile error.
 */
function assertValidWasm(wasm: Uint8Array, root: string | undefined): void {
  if (WebAssembly.validate(wasm as Uint8Array<ArrayBuffer>)) return;
  throw new LoadError(
    `${root ?? 'the submission'} did not compile: clang made a module that is not valid WebAssembly. ` +
      'The usual cause is inline assembly (__asm__) whose types do not match; remove it, plain C does the same job.',
  );
}

/**
 * The key is the sources' content, not their place: a stored compile error
 * keeps `root` as a placeholder, so the same file handed in elsewhere (another
 * student, another folder) is told its own path.
 */
const ROOT_TOKEN = '\u0000heapgrade-root\u0000';

function memoize(
  key: string,
  tc: Toolchain,
  make: () => Promise<{ wasm: Uint8Array; meta: CompiledMeta; sources?: readonly { name: string; text: string }[] }>,
  root?: string,
): Promise<CompiledC> {
  const hit = memory.get(key);
  if (hit) return hit.then((c) => ({ ...c, cached: 'memory' as const }));
  // Across processes and threads: one compile per key, the others read its result (compile-once.ts).
  const p = compileOnce<CompiledC>(cacheDir(), key, {
    lookup: async () => {
      const disk = await readCache(key, ['wasm', 'json']);
      if (disk) {
        const meta = JSON.parse(Buffer.from(disk['json']!).toString('utf8')) as CompiledMeta;
        if (meta.model === 'lp64') enableMemory64();
        // Stored before assertValidWasm existed, from a module V8 accepted lazily: compiled again, and refused then.
        if (!WebAssembly.validate(disk['wasm']! as Uint8Array<ArrayBuffer>)) return null;
        return { ...meta, key, wasm: disk['wasm']!, module: new WebAssembly.Module(disk['wasm']! as Uint8Array<ArrayBuffer>), cached: 'disk' };
      }
      // The student's compile error, stored by the process that compiled this key.
      const failed = await readCache(key, ['error']);
      if (failed) throw new LoadError(Buffer.from(failed['error']!).toString('utf8').split(ROOT_TOKEN).join(root ?? ''));
      return null;
    },
    make: async () => {
      let built: { wasm: Uint8Array; meta: CompiledMeta; sources?: readonly { name: string; text: string }[] };
      try {
        built = await make();
        if (built.meta.model === 'lp64') enableMemory64();
        assertValidWasm(built.wasm, root);
      } catch (e) {
        // Deterministic for this key (same sources, flags, compiler): the waiting processes read it instead of compiling again.
        if (e instanceof LoadError) await writeCache(key, { error: Buffer.from(root ? e.message.split(root).join(ROOT_TOKEN) : e.message) });
        throw e;
      }
      let meta = built.meta;
      if (meta.model === 'lp64') enableMemory64();
      // Instrumented once, here: every instance counts its instructions (harness/meter/wasm-pass.ts).
      // Stack tracking needs an i32 stack pointer: wasm32 only.
      const pass = instrumentModule(built.wasm, { offsets: built.sources !== undefined });
      const lines = built.sources && pass.offsets ? buildSourceLines(built.wasm, pass.offsets, built.sources) : undefined;
      if (lines) meta = { ...meta, lines };
      // The DWARF sections served the table: the instance does not need them.
      const wasm = stripDebug(pass.wasm);
      // The kit's pass made it from a valid module: invalid now is the kit's bug, never accepted lazily (assertValidWasm).
      if (!WebAssembly.validate(wasm as Uint8Array<ArrayBuffer>)) throw new Error(`heapgrade: the meter pass made an invalid module from ${root ?? 'a submission'}`);
      const module = new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>);
      await writeCache(key, { wasm, json: Buffer.from(JSON.stringify(meta)) });
      return { ...meta, key, wasm, module, cached: false, linked: built.wasm };
    },
  });
  memory.set(key, p);
  // A failed compile is not cached in memory: the student will edit and retry.
  p.catch(() => memory.delete(key));
  return p;
}

async function build(
  tc: Toolchain,
  src: CSources,
  cflags: string[],
  profile: CompileProfile,
): Promise<{ wasm: Uint8Array; meta: CompiledMeta; sources: readonly { name: string; text: string }[] }> {
  const kit = await kitFiles();
  const inputs: FileMap = { ...kit.files };
  for (const f of [...src.units, ...src.headers]) inputs[f.name] = f.text;
  const objects = src.units.map((u) => u.name.replace(/\.c$/i, '.o'));
  await checkStaticData(tc, src, cflags, profile, inputs);
  // -g: the module's DWARF line table becomes the map from code offsets to mm.c:LINE (debug-lines.ts); it does not change the code.
  const cc = await tc.run('clang', [...cflags, '-g', '-c', ...src.units.map((u) => u.name)], inputs, objects);
  if (!cc.ok || objects.some((o) => !cc.files[o])) {
    throw new LoadError(`${src.root} did not compile:\n${cc.output.trim()}`);
  }
  const warnings = diagnostics(cc.output, 'warning');
  const found = parseDiagnostics(cc.output).filter((d) => d.severity === 'warning');
  const studentObjs: FileMap = {};
  for (const o of objects) studentObjs[o] = cc.files[o]!;
  const dump = await tc.run('llvm-objdump', ['-t', ...objects], studentObjs, []);
  const syms = parseSymbolTable(dump.output);
  // The headers too: a course's memlib.h beside the file declares mem_sbrk's parameter.
  const texts = [...src.units, ...src.headers].map((u) => u.text);
  const api = detectApi(src.root, syms.functions, texts);
  const wasm = await link(tc, api, studentObjs, src.root, profile.model);
  // The handout's own required globals (the 2002 `team`) are not the student's data.
  const code = texts.map(codeOnly);
  const handoutGlobal = handoutGlobals(src, profile);
  const named = syms.data
    .filter((d) => !handoutGlobal(d))
    .map(({ name, bytes }) => (isCompoundData(code, name, bytes) ? { name, bytes, compound: true as const } : { name, bytes }));
  // WebAssembly memory has no read-only part: a string literal is writable, so
  // a big one is a side table like any global. Literals beyond the allowance count.
  const segments = objects.reduce((sum, o) => {
    const obj = studentObjs[o]!;
    return sum + dataSegmentBytes(typeof obj === 'string' ? new TextEncoder().encode(obj) : obj);
  }, 0);
  const literals = Math.max(0, segments - syms.data.reduce((sum, d) => sum + d.bytes, 0));
  const literalsOver = Math.max(0, literals - READ_ONLY_STRING_ALLOWANCE);
  const data = literalsOver > 0 ? [...named, { name: `string literals and constants (${literals} B, ${READ_ONLY_STRING_ALLOWANCE} B allowed)`, bytes: literalsOver, compound: true as const }] : named;
  const bytes = data.reduce((s, d) => s + d.bytes, 0);
  const sources = [...src.units, ...src.headers];
  return { wasm, sources, meta: { api, warnings, diagnostics: found, model: profile.model, staticData: { bytes, symbols: data }, compiler: tc.id } };
}

/**
 * The front end alone on each file, its IR printed to stdout (no debug info,
 * no optimisation: ~0.15 s of CPU beside the compile's ~0.8 s), then the
 * static data it defines measured: over the limit is the student's load
 * failure before the backend writes a byte (static-size.ts). A file with
 * errors is left to the compile below, which reports them as always.
 */
async function checkStaticData(tc: Toolchain, src: CSources, cflags: string[], profile: CompileProfile, inputs: FileMap): Promise<void> {
  const globals = [];
  for (const u of src.units) {
    const ir = await tc.run('clang', [...cflags, '-g0', '-S', '-emit-llvm', '-Xclang', '-disable-llvm-passes', '-o', '-', u.name], inputs, []);
    if (!ir.ok) return;
    globals.push(...irGlobalSizes(ir.output, profile.model === 'lp64' ? 8 : 4));
  }
  checkStaticDataSize(src.root, globals);
}

/**
 * The globals a handout requires (the 2002 `team_t team`), which do not
 * count as the student's static data, recognised by more than their name:
 * defined in the main file (mm.c, or the only .c file), declared there with
 * the handout's type (`team_t team`), and no bigger than that struct can be
 * (HANDOUT_GLOBAL_POINTERS pointers). A `static char team[65536]` in a
 * second file, or in mm.c, is a side table like any other.
 */
function handoutGlobals(src: CSources, profile: CompileProfile): (d: { name: string; bytes: number; object?: string }) => boolean {
  const main = src.units.find((u) => u.name.toLowerCase() === 'mm.c') ?? (src.units.length === 1 ? src.units[0] : undefined);
  if (!main || profile.staticDataExempt.length === 0) return () => false;
  const mainObject = main.name.replace(/\.c$/i, '.o');
  const code = codeOnly(main.text);
  const pointer = profile.model === 'ilp32' ? 4 : 8;
  return (d) =>
    profile.staticDataExempt.includes(d.name) &&
    d.object === mainObject &&
    d.bytes <= HANDOUT_GLOBAL_POINTERS * pointer &&
    new RegExp(`\\b${d.name}_t\\s+${d.name}\\s*[=;]`).test(code);
}

/** The handouts' team_t holds five strings (team name, two names, two ids or emails); a little room beyond. */
const HANDOUT_GLOBAL_POINTERS = 8;

/** `void *mem_sbrk(int incr)` (the 2002-2015 memlib.h) or the kit's `intptr_t`. */
function memSbrkParam(texts: readonly string[]): 'int' | 'intptr_t' {
  return texts.some((t) => /\bmem_sbrk\s*\(\s*int\b/.test(t)) ? 'int' : 'intptr_t';
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
    return { style: 'malloclab', init: declaredReturn(texts, 'mm_init'), checkheap, calloc: has('mm_calloc') ? 'own' : 'kit', memSbrk: memSbrkParam(texts) };
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

/** libm names a submission may take from wasi-libc (wasm32 only); anything else undefined stays a link error. */
const LIBM = new Set(
  'acos asin atan atan2 cos sin tan cosh sinh tanh exp exp2 expm1 log log10 log1p log2 logb pow cbrt hypot fmod remainder round lround llround rint lrint nearbyint ldexp frexp modf scalbn ilogb erf erfc tgamma lgamma copysign fdim fma truncf roundf powf logf log2f expf'
    .split(' ')
    .flatMap((n) => [n, `${n}f`, `${n}l`]),
);

async function link(tc: Toolchain, api: CApi, objs: FileMap, root: string, model: DataModel): Promise<Uint8Array> {
  const rt = await runtimeObjects(tc, model);
  const kitObjs: RuntimeObject[] = ['hg_runtime.o', 'hg_stdio.o', 'hg_math.o', api.memSbrk === 'int' ? 'hg_sbrk_int.o' : 'hg_sbrk_intptr.o'];
  if (api.style === 'malloclab' && api.calloc === 'kit') kitObjs.push('hg_mm_calloc.o');
  const exports = api.style === 'libc' ? [...LIBC_FUNCTIONS] : [...MALLOCLAB_FUNCTIONS, api.calloc === 'own' ? 'mm_calloc' : 'hg_kit_calloc'];
  if (api.checkheap) exports.push('mm_checkheap');
  const inputs: FileMap = { ...objs };
  for (const o of kitObjs) inputs[`kit-${o}`] = rt[o];
  const args = (extra: string[]): string[] => [
    ...(model === 'lp64' ? ['-mwasm64'] : []),
    '--no-entry',
    '--stack-first',
    '-z',
    `stack-size=${STACK_BYTES}`,
    '--export=__heap_base',
    '--export=__data_end',
    '--export=__stack_pointer',
    ...exports.map((e) => `--export=${e}`),
    ...Object.keys(inputs),
    ...extra,
    '-o',
    'out.wasm',
  ];
  let r = await tc.run('wasm-ld', args([]), inputs, ['out.wasm']);
  const missing = [...r.output.matchAll(/undefined symbol: (\S+)/g)].map((m) => m[1]!);
  // wasm32 only: a submission that calls libm (pow, log...) gets those members of wasi-libc's libc.a,
  // and nothing else: an archive links only what is asked for, and malloc & co. are never asked for here.
  if (!r.ok && model === 'ilp32' && missing.length > 0 && missing.every((n) => LIBM.has(n))) {
    r = await tc.run('wasm-ld', args(['wasi-libc.a']), { ...inputs, 'wasi-libc.a': await wasiLibc() }, ['out.wasm']);
  }
  const wasm = r.files['out.wasm'];
  if (!r.ok || !wasm) {
    const hint =
      api.style === 'malloclab'
        ? 'A malloclab submission gets memory from mem_sbrk ("memlib.h") and may not call malloc/free; the kit has no libc beyond its headers.'
        : 'The kit has no libc beyond its headers (string.h, stdio.h, stdlib.h, unistd.h, assert.h, math.h).';
    const m64 =
      model === 'lp64' && missing.length > 0
        ? '\nUnder a 64-bit profile (memory64) there is no libc to link: of <math.h> the kit has sqrt, fabs, floor, ceil, trunc, fmin, fmax and log2.'
        : '';
    throw new LoadError(`${root} did not link:\n${r.output.trim()}\n${hint}${m64}`);
  }
  return wasm;
}
