/**
 * The bundled clang (@yowasp/clang: LLVM as 75 MB of WebAssembly) runs with
 * V8's baseline compiler (Liftoff) only, and its functions validated as they
 * are first compiled rather than all 75 MB up front. By default V8 compiles
 * every hot wasm function a second time with its optimizing compiler
 * (TurboFan), in background threads: for clang, whose functions are hot for
 * the second or two a compile lasts, that recompilation cost about twice the
 * CPU of running clang itself (a first C compile: 8.8 s of CPU, 2.9 s
 * without it); validating the whole module when it is compiled cost 0.3 s of
 * CPU (1 s of wall on a busy machine) for functions a compile never calls.
 * Lazy validation still validates every function before it first runs.
 *
 * V8's flags are the process's, and V8 reads these when it compiles a wasm
 * module or function (lazily, at its first call): they are set for as long
 * as a tool starts or runs on this thread and set back after, so a
 * submission's module, compiled and run outside that window, is validated
 * and optimized as always. Another thread's wasm compiled inside the window
 * (a cold grade compiling the reference while the submission compiles) runs
 * slower (a compiler tier changes no result, and the metered cost counts
 * instructions, not time), and is validated lazily: V8 then keeps that
 * module for the same bytes in every thread of the process, so a
 * submission's module is validated in full by WebAssembly.validate before it
 * is compiled (compile.ts, assertValidWasm), never by the compile alone.
 * Left alone when Node was started with any of these flags (its own choice).
 */
import v8 from 'node:v8';

const FLAGS = ['liftoff-only', 'wasm-tier-up', 'wasm-dynamic-tiering', 'liftoff', 'wasm-lazy-validation'];
/** V8's defaults for the flags the window changes (liftoff-only implies no tier-up, which setting it back does not undo). */
const BASELINE_ONLY = '--liftoff-only --wasm-lazy-validation';
const DEFAULTS = '--no-liftoff-only --wasm-tier-up --wasm-dynamic-tiering --no-wasm-lazy-validation';

let depth = 0;

function flagsGivenToNode(): boolean {
  const given = [...process.execArgv, ...(process.env['NODE_OPTIONS'] ?? '').split(/\s+/)];
  return given.some((arg) => FLAGS.some((f) => arg.replace(/_/g, '-').replace(/^--no-/, '--').split('=')[0] === `--${f}`));
}

const untouched = flagsGivenToNode();

/** Runs `tool` with wasm compiled by Liftoff alone and validated lazily, then V8's defaults again. */
export async function withBaselineWasm<T>(tool: () => Promise<T>): Promise<T> {
  if (untouched) return tool();
  if (depth++ === 0) v8.setFlagsFromString(BASELINE_ONLY);
  try {
    return await tool();
  } finally {
    if (--depth === 0) v8.setFlagsFromString(DEFAULTS);
  }
}
