/**
 * The compartment loader: evaluates a submission's esbuild bundle (CommonJS
 * format, relative imports already inlined) in an SES `Compartment` after
 * `lockdown()`, and returns its exports.
 *
 * What the compartment gets: the standard globals of COMPARTMENT_GLOBALS
 * (an allow-list; anything else SES puts there, `Compartment` first, is
 * removed), and as its ONLY endowments, all hardened and non-writable on its
 * global object:
 * - `print(...args)` and a `console` whose log/info/warn/error/debug/trace
 *   route to it; the output lands in an OutputSink on the trusted side;
 * - whatever trusted `endowments` the caller adds (see below).
 * The heap port reaches the submission as the factory's argument (hardened
 * by the loader). Nothing else: no `process`, `require`, `import`, timers,
 * `Date.now` or `Math.random` (SES tames the last two in compartments).
 *
 * Extension point (metering builds on it):
 * - `transforms: Array<(src: string) => string>` rewrite ALL source the
 *   compartment evaluates: the bundle itself and any `eval`/`Function` the
 *   submission calls inside it (SES applies `transforms` to every evaluator
 *   of the compartment), in order;
 * - `endowments: Record<string, unknown>` extra trusted globals (a meter
 *   function, say). Each is `harden`ed and defined non-writable and
 *   non-configurable, so student code can call it but neither replace nor
 *   patch it. Keep the trusted state they close over out of their
 *   properties: hardening freezes what is reachable from them.
 */
import type { SourceMapPayload } from 'node:module';
import { LoadError } from '../util/errors.ts';
import { ensureLockdown } from './lockdown.ts';
import { formatPrintArgs, OutputSink } from './output.ts';
import { CONFINED_SCHEME, mapConfinedStack, registerBundleMap } from '../util/stack-map.ts';

export type SourceTransform = (src: string) => string;

export interface ConfineOptions {
  /** Applied, in order, to all code evaluated in the compartment. @default [] */
  transforms?: readonly SourceTransform[];
  /** Called with the compartment's global object once its endowments are on it, before any code is evaluated (trusted callers only). */
  onGlobal?: (global: object) => void;
  /** Extra trusted globals, hardened and non-writable. @default {} */
  endowments?: Readonly<Record<string, unknown>>;
}

export interface ConfinedBundle {
  /** esbuild output in CommonJS format. */
  code: string;
  map: SourceMapPayload;
  /** Content hash of the bundle: names it in stack traces. */
  hash: string;
  /** The absolute path of the file it was bundled from: a bundle handed to a loader is used only for that file. */
  entry?: string;
}

export interface ConfinedModule {
  exports: Record<string, unknown>;
  /** What the module printed (at load and in every later call). */
  output: OutputSink;
}

/**
 * The compartment's global object, exactly (besides `print`, `console` and
 * the caller's endowments): an allow-list, not what SES happens to put
 * there. Left out on purpose:
 * - `Compartment`: a compartment the submission made would evaluate code
 *   without this compartment's transforms, i.e. without the step meter;
 * - `lockdown` and `harden`: the first only throws, the second walks an
 *   object graph natively (unmetered work) and no allocator needs it;
 * - builtins whose work the step meter cannot charge (harness/meter/builtin-costs.ts):
 *   `RegExp` (backtracking unbounded by input), `TextEncoder`/`TextDecoder`,
 *   the global `parseInt`/`parseFloat` (plain calls, not method calls: use
 *   `Number.parseInt`, which is charged), `escape`/`unescape` and the URI
 *   functions. No allocator needs them;
 * - `Proxy`: its traps run functions (builtins among them) with no call
 *   site the meter could charge, and no allocator needs one.
 * `eval` and `Function` stay: they are this compartment's own evaluators and
 * run every source through its transforms; the constructors reachable as
 * `.constructor` of any function (plain, async, generator) are SES's inert
 * ones, which throw. `Float32Array`/`Float64Array` are not on an SES
 * compartment by default (a NaN side channel between compartments, which
 * does not matter here) and are added: the README promises typed arrays.
 * No BigInt: its arithmetic costs with the size of its operands, which no
 * step charge can follow, so `BigInt`, the BigInt typed arrays, DataView's
 * BigInt getters (refused, builtin-costs.ts) and BigInt literals (refused at
 * load, ts-transform.ts) are all kept from the allocator.
 */
export const COMPARTMENT_GLOBALS: readonly string[] = Object.freeze([
  'Infinity', 'NaN', 'undefined', 'globalThis', 'isFinite', 'isNaN',
  'Object', 'Function', 'eval', 'Array', 'ArrayBuffer', 'DataView', 'Boolean', 'Number', 'String', 'Symbol',
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
  'Float32Array', 'Float64Array',
  'Map', 'Set', 'WeakMap', 'WeakSet', 'Promise', 'Reflect', 'JSON', 'Math', 'Date',
  'Error', 'EvalError', 'RangeError', 'ReferenceError', 'SyntaxError', 'TypeError', 'URIError', 'AggregateError',
]);

/** Typed-array constructors SES leaves off a compartment: the start realm's, frozen by lockdown. */
const ADDED_GLOBALS = ['Float32Array', 'Float64Array'] as const;

/** Names the compartment's global object may not be given as endowments. */
const RESERVED = new Set(['print', 'console', 'Compartment', 'harden', 'lockdown', ...COMPARTMENT_GLOBALS]);

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

export function evaluateConfined(spec: string, bundle: ConfinedBundle, options: ConfineOptions = {}): ConfinedModule {
  ensureLockdown();
  const output = new OutputSink();
  const print = (...args: unknown[]): void => output.write(formatPrintArgs(args));
  const console = Object.fromEntries(CONSOLE_METHODS.map((m) => [m, print]));
  const extra = options.endowments ?? {};
  for (const name of Object.keys(extra)) {
    if (RESERVED.has(name)) throw new Error(`confine: the endowment name "${name}" is reserved`);
  }
  const endowments: Record<string, unknown> = { print, console, ...extra };
  const compartment = new Compartment({
    __options__: true,
    name: spec,
    transforms: [...(options.transforms ?? [])],
  });
  restrictGlobals(compartment.globalThis);
  for (const [name, value] of Object.entries(endowments)) {
    Object.defineProperty(compartment.globalThis, name, { value: harden(value), writable: false, enumerable: false, configurable: false });
  }
  options.onGlobal?.(compartment.globalThis);

  const url = `${CONFINED_SCHEME}${bundle.hash}.js`;
  registerBundleMap(url, bundle.map, 1);
  // One line of wrapper before the bundle keeps its line numbers (the map's)
  // unchanged but for an offset of one. The bundle gets its own function
  // scope inside the one that binds the globals, so a submission may declare
  // names such as `print` or `Map` at its top level.
  const source =
    `(function (module, exports) { ${globalBindings(compartment.globalThis)} return function () {\n${bundle.code}\n}; })\n` +
    `//# sourceURL=${url}\n`;
  let run: (module: { exports: unknown }, exports: unknown) => () => void;
  try {
    run = compartment.evaluate(source) as typeof run;
  } catch (e) {
    const why = mapConfinedStack((e as Error)?.message ?? String(e));
    if (why.includes('SES_IMPORT_REJECTED')) {
      throw new LoadError(
        `${spec}: does not load: it uses \`import(...)\` (${why}). An allocator gets only the heap it is given (no Node modules, no packages, no dynamic import); ` +
          'remove it (the text `import(` in a string or comment counts too).',
        { cause: e },
      );
    }
    throw new LoadError(`${spec}: the submission cannot be evaluated in the grading compartment: ${why}`, { cause: e });
  }
  const module = { exports: {} as Record<string, unknown> };
  try {
    run(module, module.exports).call(module.exports);
  } catch (e) {
    throw new LoadError(`${spec}: loading the module threw: ${describeThrown(e)}`, { cause: e });
  }
  // Its exports are set: later calls cannot keep anything on the kit's object.
  Object.freeze(module);
  return { exports: module.exports, output };
}

/** Makes `global`'s own properties exactly COMPARTMENT_GLOBALS: removes the rest, adds what SES leaves off. */
function restrictGlobals(global: Record<string, unknown>): void {
  const allowed = new Set<string>(COMPARTMENT_GLOBALS);
  // String names only: the one symbol SES defines (Symbol.unscopables of its scope machinery) is not configurable and names no value.
  for (const key of Object.getOwnPropertyNames(global)) {
    if (!allowed.has(key) && !delete global[key]) throw new Error(`confine: cannot remove the global \`${String(key)}\` from the compartment`);
  }
  const start = globalThis as unknown as Record<string, unknown>;
  for (const name of ADDED_GLOBALS) {
    if (!Object.isFrozen(start[name])) throw new Error(`confine: ${name} is not frozen; lockdown() must run first`);
    Object.defineProperty(global, name, { value: start[name], writable: true, enumerable: false, configurable: true });
  }
  const missing = COMPARTMENT_GLOBALS.filter((n) => !Object.prototype.hasOwnProperty.call(global, n));
  if (missing.length) throw new Error(`confine: the compartment lacks the allowed global(s) ${missing.join(', ')}`);
}

/**
 * SES evaluates code inside `with` scopes (the compartment's global object
 * and a Proxy that stops lookups reaching the real global), so every free
 * name such as `Math` or `Uint8Array` is a dynamic lookup through a Proxy
 * trap, on every use: most of the compartment's overhead on a replay
 * (BENCHMARKS.md, "Confinement overhead"). Binding the global object's
 * properties once, as locals of the wrapper, makes those names lexical. The
 * values are the same objects the compartment would have looked up; a name
 * the submission adds to globalThis later still resolves through the scopes.
 */
function globalBindings(global: object): string {
  const names = Object.getOwnPropertyNames(global).filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && !UNBOUND.has(n));
  return names.length ? `const { ${names.join(', ')} } = globalThis;` : '';
}

/** Names left to the scope chain: `eval` must stay the compartment's own for direct eval to work; the rest are not bindable. */
const UNBOUND = new Set(['eval', 'undefined', 'NaN', 'Infinity', 'globalThis', 'arguments']);

/** What the module's top level threw, read while its load is still metered (student getters tick), bounded. */
function describeThrown(e: unknown): string {
  try {
    const s = e instanceof Error ? `${String(e.name)}: ${String(e.message)}` : String(e);
    return s.length > 2000 ? `${s.slice(0, 2000)}…` : s;
  } catch {
    return 'a value that cannot be shown';
  }
}
