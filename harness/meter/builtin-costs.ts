/**
 * What a builtin costs a TypeScript submission: the trusted side of the
 * call-site metering that the step-meter transform inserts
 * (harness/meter/ts-transform.ts). The transform routes every method call
 * whose name is in CHARGED_METHODS (`a.fill(0)`, `s.repeat(n)`,
 * `JSON.stringify(x)`, `f.call(t, ...)`, `super.sort()`) and every `new`
 * through the endowed functions below; each looks the method up as the
 * call would, charges the builtin's work to the running call BEFORE it runs
 * (so a gigabyte fill is a timeout, not a stall), then calls it.
 *
 * The unit is the step meter's: one step per element, character or entry
 * the builtin touches (what a loop doing the same work ticks per
 * iteration), n * ceil(log2 n) for a sort, 1 for an O(1) operation (Map/Set
 * get, set, has, delete, add). A method of the submission's own objects
 * with one of these names is not charged (it ticks as the code it is).
 *
 * Lengths come from what the builtin itself will use: a typed array's
 * length from the intrinsic getter (an own `length` property cannot lie), an
 * array's own length, a string's. A charged builtin called on anything
 * else (an array-like object, a Proxy, a String object) would read a length
 * the submission controls between our read and the builtin's: refused with
 * a TypeError. Builtins that cannot be charged are refused the same way:
 * the regular-expression methods that compile a pattern from a string
 * (`match`, `matchAll`, `search`; backtracking is not bounded by the input
 * length), with `RegExp` itself not endowed and regular-expression literals
 * refused at load.
 *
 * A builtin read as a value (`o.fill`, `o[k]`, `Reflect.get`, a property
 * descriptor) is handed over as its metered self (`value`), so calling it
 * later without a call site (as an object's `valueOf` or `toString`, a
 * getter, a callback) is charged the same; `Proxy` is not endowed. The
 * implicit join of an array (`${arr}`, `String(arr)`, `arr + ''`) is
 * charged by the array's own toString (implicit-join.ts).
 */
import { types } from 'node:util';
import { IMPLICIT_JOIN } from './implicit-join.ts';

type Charge = (n: number) => void;
type Cost = (self: unknown, args: readonly unknown[]) => number;
type AnyFn = (...args: unknown[]) => unknown;

/** Method names whose call sites are routed through the meter (a superset of the builtins charged). */
export const CHARGED_METHODS: ReadonlySet<string> = new Set([
  // typed arrays and arrays
  'fill', 'set', 'copyWithin', 'indexOf', 'lastIndexOf', 'includes', 'sort', 'toSorted', 'reverse', 'toReversed',
  'slice', 'subarray', 'map', 'forEach', 'filter', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex',
  'findLast', 'findLastIndex', 'join', 'toString', 'toLocaleString', 'with', 'push', 'unshift', 'shift', 'splice',
  'toSpliced', 'concat', 'flat', 'flatMap', 'from', 'of', 'entries', 'keys', 'values',
  // strings
  'repeat', 'padStart', 'padEnd', 'startsWith', 'endsWith', 'split', 'replace', 'replaceAll', 'match', 'matchAll',
  'search', 'substring', 'substr', 'trim', 'trimStart', 'trimEnd', 'toUpperCase', 'toLowerCase', 'normalize',
  'localeCompare', 'fromCharCode', 'fromCodePoint', 'raw',
  // JSON, Object, Map/Set
  'stringify', 'parse', 'assign', 'freeze', 'getOwnPropertyNames', 'fromEntries', 'groupBy', 'get', 'has', 'delete', 'add', 'clear',
  // forwarders, property descriptors (their values are handed over metered), Array called without new
  'call', 'apply', 'bind', 'construct', 'parseInt', 'parseFloat', 'getOwnPropertyDescriptor', 'getOwnPropertyDescriptors',
  'constructor', 'Array', 'trimLeft', 'trimRight', '__lookupGetter__',
  // work that walks its input and was once free (test/attack/uncharged-builtins.test.ts)
  'resize', 'isWellFormed', 'toWellFormed', 'toLocaleUpperCase', 'toLocaleLowerCase', 'ownKeys', 'isFrozen', 'isSealed', 'seal',
  'preventExtensions', 'defineProperties', 'create', 'getOwnPropertySymbols', 'all', 'allSettled', 'race', 'any',
  // the last way to make a BigInt in the compartment (compartment.ts endows no BigInt): refused
  'getBigInt64', 'getBigUint64',
]);

/**
 * Property names whose reads are handed over through `value` (ts-transform.ts):
 * every name under which a charged builtin or a forwarder can be found.
 */
export const READ_NAMES: ReadonlySet<string> = CHARGED_METHODS;

const TypedArray = Object.getPrototypeOf(Uint8Array) as { prototype: object };
const typedLength = Object.getOwnPropertyDescriptor(TypedArray.prototype, 'length')!.get!;
const reflectApply = Reflect.apply;
const reflectApplyFn: unknown = Reflect.apply;
const reflectConstruct = Reflect.construct;

function refuse(what: string): never {
  throw new TypeError(`heapgrade: ${what} cannot be metered, so it is not available to an allocator`);
}

/** The element count a charged builtin will walk on `self`: a real typed array, array or string only. */
function lengthOf(self: unknown, method: string): number {
  if (typeof self === 'string') return self.length;
  if (typeof self === 'object' && self !== null && !types.isProxy(self)) {
    if (types.isTypedArray(self)) return reflectApply(typedLength, self, []) as number;
    if (Array.isArray(self)) return self.length;
  }
  return refuse(`${method} on something that is not a typed array, an array or a string`);
}

const num = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : fallback);
const strLen = (v: unknown): number => (typeof v === 'string' ? v.length : 0);
/** An argument's length when it is an array, a typed array or a string; refused when a length would have to be trusted. */
function argLength(v: unknown, method: string): number {
  if (v === undefined || v === null || typeof v === 'number' || typeof v === 'boolean') return 0;
  return lengthOf(v, method);
}
const log2 = (n: number): number => (n > 1 ? Math.ceil(Math.log2(n)) : 1);

const linear = (method: string): Cost => (self) => 1 + lengthOf(self, method);
const constant: Cost = () => 1;

/**
 * Costs of the builtins a call site can reach, by function identity. Filled
 * once per thread, after lockdown: the intrinsics are the same frozen
 * objects every compartment sees.
 */
const COSTS = new Map<unknown, Cost>();
/** Builtins that forward to another function (call, apply, bind, Reflect.apply/construct): charged as what they forward to. */
const FORWARDERS = new Set<unknown>();

function setCost(owner: object, name: string, cost: Cost): void {
  const d = Object.getOwnPropertyDescriptor(owner, name);
  if (d && typeof d.value === 'function') COSTS.set(d.value, cost);
}

/** Cost of calling `fn` on `self` with `args`; 0 for a function that is not a charged builtin. */
export function costOf(fn: unknown, self: unknown, args: readonly unknown[]): number {
  const c = COSTS.get(fn);
  return c === undefined ? 0 : c(self, args);
}

let ready = false;
function init(): void {
  if (ready) return;
  ready = true;
  const ta = TypedArray.prototype;
  const arr = Array.prototype;
  for (const proto of [ta, arr] as object[]) {
    for (const m of ['fill', 'copyWithin', 'indexOf', 'lastIndexOf', 'includes', 'reverse', 'toReversed', 'slice', 'map', 'forEach', 'filter',
      'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex', 'join', 'toString', 'toLocaleString',
      'with', 'entries', 'keys', 'values', 'flat', 'flatMap', 'toSpliced', 'shift', 'unshift', 'splice', 'concat']) {
      // toString is charged by itself, however it is reached (implicit-join.ts): not twice here.
      if (m === 'toString' && IMPLICIT_JOIN.has((proto as Record<string, unknown>)[m])) continue;
      setCost(proto, m, m === 'concat' ? (self, args) => 1 + lengthOf(self, m) + args.reduce<number>((s, a) => s + argLength(a, m), 0) : linear(m));
    }
    // What they copy is more than the array's length: the nested arrays' elements, the string elements' characters.
    setCost(proto, 'flat', (self, args) => 1 + flatSize(self, args[0] === undefined ? 1 : num(args[0], 1)));
    setCost(proto, 'join', (self, args) => 1 + lengthOf(self, 'join') * (1 + strLen(args[0])) + stringChars(self));
    for (const m of ['sort', 'toSorted']) setCost(proto, m, (self) => { const n = lengthOf(self, m); return 1 + n * log2(n); });
  }
  setCost(ta, 'subarray', constant);
  // A copy of the bytes (as Uint8Array's slice), and a resize zero-fills up to the new length.
  const bufferBytes = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength')!.get!;
  const realBuffer = (self: unknown, m: string): number =>
    types.isArrayBuffer(self) ? (reflectApply(bufferBytes, self, []) as number) : refuse(`ArrayBuffer.prototype.${m} on something that is not an ArrayBuffer`);
  setCost(ArrayBuffer.prototype, 'slice', (self) => 1 + realBuffer(self, 'slice'));
  setCost(ArrayBuffer.prototype, 'resize', (self, args) => 1 + Math.max(realBuffer(self, 'resize'), num(args[0], 0)));
  setCost(ta, 'set', (self, args) => 1 + Math.min(argLength(args[0], 'set'), lengthOf(self, 'set')));
  setCost(arr, 'push', (_self, args) => 1 + args.length);
  setCost(arr, 'pop', constant);
  setCost(arr, 'at', constant);
  // The typed arrays' from/of are %TypedArray%'s own (Uint32Array.from is inherited): once charged nowhere, and so a
  // bound `Uint32Array.from` made its tables unseen by the off-heap ledger (test/attack/offheap-evasion.test.ts).
  for (const ctor of [Array, TypedArray, Uint8Array, Int8Array, Uint8ClampedArray, Uint16Array, Int16Array, Uint32Array, Int32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array] as object[]) {
    // Array.from / TypedArray.from of an array-like or iterable: the source's length when it is a real one; others refused.
    setCost(ctor, 'from', (_self, args) => 1 + argLength(args[0], 'from'));
    setCost(ctor, 'of', (_self, args) => 1 + args.length);
  }
  const str = String.prototype;
  for (const m of ['indexOf', 'lastIndexOf', 'includes', 'startsWith', 'endsWith', 'split', 'replace', 'replaceAll', 'slice', 'substring',
    'substr', 'trim', 'trimStart', 'trimEnd', 'toUpperCase', 'toLowerCase', 'normalize', 'concat', 'toString', 'valueOf', 'at', 'charAt',
    'charCodeAt', 'codePointAt', 'localeCompare']) {
    setCost(str, m, (self, args) => 1 + lengthOf(self, m) + args.reduce<number>((s, a) => s + strLen(a), 0));
  }
  for (const m of ['isWellFormed', 'toWellFormed', 'toLocaleUpperCase', 'toLocaleLowerCase']) setCost(str, m, (self) => 1 + lengthOf(self, m));
  setCost(str, 'repeat', (self, args) => 1 + lengthOf(self, 'repeat') * Math.max(0, num(args[0], 0)));
  for (const m of ['padStart', 'padEnd']) setCost(str, m, (self, args) => 1 + Math.max(lengthOf(self, m), num(args[0], 0)));
  for (const m of ['match', 'matchAll', 'search']) setCost(str, m, () => refuse(`String.prototype.${m} (it compiles a regular expression)`));
  setCost(String, 'fromCharCode', (_self, args) => 1 + args.length);
  setCost(String, 'fromCodePoint', (_self, args) => 1 + args.length);
  setCost(String, 'raw', () => refuse('String.raw'));
  for (const m of ['getBigInt64', 'getBigUint64']) setCost(DataView.prototype, m, () => refuse(`DataView.prototype.${m} (BigInt arithmetic cannot be metered)`));
  // JSON: the text parsed; the text stringify will produce is not known before it runs, so the value is walked by the submission-visible size first.
  setCost(JSON, 'parse', (_self, args) => (args.length > 1 ? refuse('JSON.parse with a reviver') : 1 + strLen(args[0])));
  setCost(JSON, 'stringify', (_self, args) => 1 + jsonSize(args[0]));
  for (const m of ['parseInt', 'parseFloat']) setCost(Number, m, (_self, args) => 1 + strLen(args[0]));
  for (const m of ['keys', 'values', 'entries', 'assign', 'freeze', 'getOwnPropertyNames', 'fromEntries', 'groupBy', 'isFrozen', 'isSealed', 'seal',
    'preventExtensions', 'defineProperties', 'create', 'getOwnPropertySymbols']) {
    setCost(Object, m, (_self, args) => 1 + args.reduce<number>((s, a) => s + ownKeyCount(a), 0));
  }
  for (const m of ['ownKeys', 'preventExtensions']) setCost(Reflect, m, (_self, args) => 1 + ownKeyCount(args[0]));
  // Promise.all and its kin make a promise per element of what they are given (an array or a typed array; else refused).
  for (const m of ['all', 'allSettled', 'race', 'any']) setCost(Promise, m, (_self, args) => 1 + argLength(args[0], `Promise.${m}`));
  // A date string is parsed character by character.
  setCost(Date, 'parse', dateCost);
  for (const proto of [Map.prototype, Set.prototype, WeakMap.prototype, WeakSet.prototype] as object[]) {
    for (const m of ['get', 'set', 'has', 'delete', 'add']) setCost(proto, m, constant);
  }
  for (const proto of [Map.prototype, Set.prototype] as object[]) {
    for (const m of ['forEach', 'clear', 'keys', 'values', 'entries']) setCost(proto, m, (self) => 1 + collectionSize(self));
  }
  // Forwarders: charged as the function they call.
  const fp = Function.prototype;
  COSTS.set(fp.call, (self, args) => 1 + costOf(self, args[0], args.slice(1)));
  COSTS.set(fp.apply, (self, args) => 1 + listOf(args[1]).length + costOf(self, args[0], listOf(args[1])));
  COSTS.set(fp.bind, constant); // the bound function is replaced by a metered one in meteredCall
  COSTS.set(Reflect.apply, (_self, args) => 1 + listOf(args[2]).length + costOf(args[0], args[1], listOf(args[2])));
  COSTS.set(Reflect.construct, (_self, args) => 1 + listOf(args[1]).length + constructCost(args[0], listOf(args[1])));
  for (const f of [fp.call, fp.apply, fp.bind, Reflect.apply, Reflect.construct]) FORWARDERS.add(f);
  initConstructors();
}

/** `new C(...args)`: the elements a builtin constructor allocates or copies. */
const CONSTRUCT_COSTS = new Map<unknown, Cost>();
function initConstructors(): void {
  for (const ctor of [Uint8Array, Int8Array, Uint8ClampedArray, Uint16Array, Int16Array, Uint32Array, Int32Array, Float32Array, Float64Array, BigInt64Array, BigUint64Array]) {
    CONSTRUCT_COSTS.set(ctor, (_self, args) => {
      const a = args[0];
      if (typeof a === 'number') return 1 + Math.max(0, num(a, 0));
      if (a instanceof ArrayBuffer) return 1 + (args[2] === undefined ? a.byteLength / ctor.BYTES_PER_ELEMENT : num(args[2], 0));
      return 1 + argLength(a, `new ${ctor.name}`);
    });
  }
  CONSTRUCT_COSTS.set(ArrayBuffer, (_self, args) => 1 + Math.max(0, num(args[0], 0)) / 8);
  CONSTRUCT_COSTS.set(Array, (_self, args) => 1 + (args.length === 1 && typeof args[0] === 'number' ? Math.max(0, num(args[0], 0)) : args.length));
  for (const ctor of [Map, Set, WeakMap, WeakSet]) CONSTRUCT_COSTS.set(ctor, (_self, args) => 1 + argLength(args[0], `new ${ctor.name}`));
  CONSTRUCT_COSTS.set(String, (_self, args) => 1 + strLen(args[0]));
  // Array(n) without `new` makes the same array.
  COSTS.set(Array, CONSTRUCT_COSTS.get(Array)!);
  // What these return can hold builtins (a descriptor's value, get and set): handed over metered.
  REVEALERS.set(Reflect.get, (r, value) => value(r));
  // Under lockdown some methods are accessors (SES's override taming): their getter hands over the method.
  REVEALERS.set((Object.prototype as { __lookupGetter__: unknown }).__lookupGetter__, (r, value) => revealingGetter(r, value));
  for (const f of [Reflect.getOwnPropertyDescriptor, Object.getOwnPropertyDescriptor]) REVEALERS.set(f, (r, value) => meteredDescriptor(r, value));
  REVEALERS.set(Object.getOwnPropertyDescriptors, (r, value) => {
    const out: Record<PropertyKey, unknown> = {};
    for (const k of Reflect.ownKeys(r as object)) out[k] = meteredDescriptor((r as Record<PropertyKey, unknown>)[k], value);
    return out;
  });
}

/** Builtins that list an object's own names: what they make is the object's shape, not a table the allocator made. */
const NAME_LISTS = new Set<unknown>([Object.getOwnPropertyNames, Object.keys, Object.getOwnPropertySymbols, Reflect.ownKeys]);

/** Functions whose result may hold a builtin taken from an object: the result, with builtins replaced by their metered selves. */
const REVEALERS = new Map<unknown, (result: unknown, value: (v: unknown) => unknown) => unknown>();

function meteredDescriptor(d: unknown, value: (v: unknown) => unknown): unknown {
  if (typeof d !== 'object' || d === null) return d;
  const out: Record<string, unknown> = { ...(d as Record<string, unknown>) };
  if ('value' in out) out['value'] = value(out['value']);
  if ('get' in out) out['get'] = revealingGetter(out['get'], value);
  if ('set' in out) out['set'] = value(out['set']);
  return out;
}

const getters = new WeakMap<object, unknown>();
/** A getter whose result is handed over through `value` (a builtin as its metered self). */
function revealingGetter(g: unknown, value: (v: unknown) => unknown): unknown {
  if (typeof g !== 'function') return g;
  let w = getters.get(g);
  if (w === undefined) {
    const fn = g as AnyFn;
    w = Object.freeze(function (this: unknown) {
      return value(reflectApply(fn, this, []));
    });
    getters.set(g, w);
  }
  return w;
}

/** `new Date(text)` parses the text. */
const dateCost: Cost = (_self, args) => 1 + strLen(args[0]);
const DatePrototype = Date.prototype;

/**
 * The cost of `new ctor(...)`. Date is found by its prototype: lockdown
 * replaces the global Date (and a compartment has SES's tamed one), and all
 * of them share the one Date.prototype.
 */
function constructCostOf(ctor: unknown): Cost | undefined {
  const c = CONSTRUCT_COSTS.get(ctor);
  if (c !== undefined || typeof ctor !== 'function') return c;
  return (ctor as { prototype?: unknown }).prototype === DatePrototype ? dateCost : undefined;
}

function constructCost(ctor: unknown, args: readonly unknown[]): number {
  const c = constructCostOf(ctor);
  return c === undefined ? 0 : c(undefined, args);
}

function listOf(v: unknown): readonly unknown[] {
  if (v === undefined || v === null) return [];
  lengthOf(v, 'an argument list');
  return v as readonly unknown[];
}

function ownKeyCount(v: unknown): number {
  if (typeof v !== 'object' || v === null || types.isProxy(v)) return typeof v === 'string' ? v.length : 0;
  if (types.isTypedArray(v)) return reflectApply(typedLength, v, []) as number;
  // Object.fromEntries(map) and groupBy(set, ...) walk the entries, which are not own keys.
  if (types.isMap(v) || types.isSet(v)) return collectionSize(v);
  return Reflect.ownKeys(v).length;
}

function collectionSize(v: unknown): number {
  if (types.isMap(v)) return (v as Map<unknown, unknown>).size;
  if (types.isSet(v)) return (v as Set<unknown>).size;
  return 0;
}

/**
 * What JSON.stringify will walk: elements and keys, recursively, bounded by
 * the depth a real value has. An object reached again (`x = [x, x]`, twice
 * per level) is sized once: the charge still doubles per level, as the
 * native walk does, but computing it does not (a DAG of 30 levels once had
 * the kit walk 2^30 nodes before charging anything: a hang the backstop
 * called the kit's fault; test/attack/uncharged-builtins.test.ts).
 */
function jsonSize(v: unknown, depth = 0, sized = new Map<object, number>()): number {
  if (depth > 64) return refuse('JSON.stringify of a value nested deeper than 64 levels');
  if (typeof v === 'string') return v.length;
  if (typeof v !== 'object' || v === null) return 1;
  if (types.isProxy(v)) return refuse('JSON.stringify of a Proxy');
  if (types.isTypedArray(v)) return (reflectApply(typedLength, v, []) as number) * 4;
  const known = sized.get(v);
  if (known !== undefined) return known;
  let n = 1;
  for (const k of Reflect.ownKeys(v)) {
    const d = Object.getOwnPropertyDescriptor(v, k);
    n += 1 + (typeof k === 'string' ? k.length : 0) + (d && 'value' in d ? jsonSize(d.value, depth + 1, sized) : 1);
  }
  sized.set(v, n);
  return n;
}

/** The elements `flat(depth)` copies: nested arrays' own, sized once each (a DAG costs what its copy walks, not its computation). */
function flatSize(self: unknown, depth: number, sized = new Map<string, number>(), ids = new Map<object, number>()): number {
  const n = lengthOf(self, 'flat');
  if (depth < 1 || !Array.isArray(self)) return n;
  let id = ids.get(self);
  if (id === undefined) ids.set(self, (id = ids.size));
  const key = `${id}@${depth}`;
  const known = sized.get(key);
  if (known !== undefined) return known;
  let total = n;
  for (let i = 0; i < n; i++) {
    const e: unknown = self[i];
    if (Array.isArray(e) && !types.isProxy(e)) total += flatSize(e, Math.min(depth, 64) - 1, sized, ids);
  }
  sized.set(key, total);
  return total;
}

/** The characters of an array's string elements (what a join copies beside its separators). */
function stringChars(self: unknown): number {
  if (!Array.isArray(self)) return 0;
  let chars = 0;
  for (let i = 0; i < self.length; i++) {
    const e: unknown = self[i];
    if (typeof e === 'string') chars += e.length;
  }
  return chars;
}

/**
 * The endowments, bound to a charge function (the thread's step meter).
 * Each is frozen; none exposes the cost tables.
 */
export interface MeteredCalls {
  call: (self: unknown, name: string, ...args: unknown[]) => unknown;
  optionalCall: (self: unknown, name: string, ...args: unknown[]) => unknown;
  apply: AnyFn;
  construct: AnyFn;
  spread: (v: unknown) => unknown;
  extend: (parent: unknown) => unknown;
  value: (v: unknown) => unknown;
  literal: <T>(v: T, site?: number) => T;
  keep: <T>(v: T, site: number) => T;
}

/** What the off-heap ledger (harness/offheap/ledger.ts) takes from the call sites. */
export interface MadeSink {
  /** Whether a phase is open: when not, nothing is handed over (the check the hot path makes). */
  readonly isOpen: boolean;
  /** `site`: what made it (the builtin or constructor); the ledger counts a call's items once per site. */
  note(made: unknown, site?: unknown): void;
  /** `site`: where the literal is in the source (its offset). */
  literal<T>(v: T, site?: number): T;
  /** A value bound to a variable that may outlive the call (the transform's `__heapgrade_keep__`): `site` is the binding's offset. */
  keep<T>(v: T, site: number): T;
  /** A WeakMap entry set (`value` given) or deleted, in any phase: what a WeakMap holds cannot be listed otherwise. */
  weakEntry(map: object, key: unknown, set: boolean, value?: unknown): void;
  /** What a function made by `bind` holds in its internal slots (its `this` and arguments), which no property lists. */
  boundTo(fn: unknown, held: unknown[]): void;
}

const NO_SINK: MadeSink = { isOpen: false, note: () => {}, literal: (v) => v, keep: (v) => v, weakEntry: () => {}, boundTo: () => {} };
const bindFn = Function.prototype.bind;
const weakMapSet = WeakMap.prototype.set;
const weakMapDelete = WeakMap.prototype.delete;

/**
 * The ledger (harness/offheap/ledger.ts) is handed what every routed call,
 * `new` and literal made and the object a method worked on, so the off-heap
 * rule can count the tables an allocator makes at load, in its factory and
 * in its calls.
 */
export function meteredCalls(charge: Charge, sink: MadeSink = NO_SINK): MeteredCalls {
  init();
  const note = sink.note;
  const invoke = (fn: unknown, self: unknown, args: unknown[], noted = true): unknown => {
    const cost = COSTS.get(fn);
    if (cost !== undefined) {
      charge(cost(self, args));
      if (fn === Function.prototype.bind && (COSTS.has(self) || FORWARDERS.has(self))) {
        const bound = bindMetered(self as AnyFn, args);
        sink.boundTo(bound, args);
        return bound;
      }
      wrapNativeCallbacks(args);
    }
    const made = reflectApply(fn as AnyFn, self, args);
    if (fn === weakMapSet || fn === weakMapDelete) sink.weakEntry(self as object, args[0], fn === weakMapSet, args[1]);
    else if (fn === bindFn) sink.boundTo(made, args);
    // What a builtin made or worked on (a forwarder's: the object it forwarded to) goes to the ledger; a method
    // of the submission's own (no cost) made nothing the ledger does not see otherwise (its literals and `new`s).
    if (noted && cost !== undefined && sink.isOpen) {
      // What it made, by the builtin that made it (a call's scratch `slice` counts once); what it worked on, as itself.
      note(made, fn);
      note(self);
      if (FORWARDERS.has(fn)) note(fn === reflectApplyFn ? args[1] : args[0]);
    }
    const reveal = REVEALERS.get(fn);
    if (reveal !== undefined) return reveal(made, value);
    // What a forwarder returns is what the function it called returns: a getter it called may hand over a builtin.
    return FORWARDERS.has(fn) ? value(made) : made;
  };
  /** A builtin read as a value: its metered self (one per builtin, so identity comparisons still hold); anything else as it is. */
  const metered = new Map<unknown, AnyFn>();
  const value = (v: unknown): unknown => {
    if (typeof v !== 'function' || !(COSTS.has(v) || FORWARDERS.has(v) || REVEALERS.has(v))) return v;
    let m = metered.get(v);
    if (m === undefined) {
      const fn = v;
      m = Object.freeze(function (this: unknown, ...args: unknown[]) {
        // `new` on it (Array, say) constructs as the builtin would, charged like `new`.
        if (new.target !== undefined) return construct(fn, ...args);
        // Charged and noted for the off-heap ledger like a call site, except the lists of an object's own
        // names (the bundler's helpers call Object.getOwnPropertyNames this way at load): a typed array made
        // by `Uint32Array.from` bound and called plainly was once counted nowhere (test/attack/offheap-evasion.test.ts).
        return invoke(fn, this, args, !NAME_LISTS.has(fn));
      });
      metered.set(v, m);
    }
    return m;
  };
  const bindMetered = (target: AnyFn, bound: unknown[]): AnyFn => {
    const [thisArg, ...pre] = bound;
    return Object.freeze((...rest: unknown[]) => invoke(target, thisArg, [...pre, ...rest]));
  };
  /** A charged builtin passed as a callback to another would run uncharged: it is replaced by a metered one. */
  const wrapNativeCallbacks = (args: unknown[]): void => {
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (typeof a === 'function' && (COSTS.has(a) || FORWARDERS.has(a))) {
        args[i] = Object.freeze(function (this: unknown, ...rest: unknown[]) {
          return invoke(a, this, rest);
        });
      }
    }
  };
  const call = (self: unknown, name: string, ...args: unknown[]): unknown => invoke((self as Record<string, unknown>)[name], self, args);
  // `o?.m(...)` and `o.m?.(...)`: undefined when the object (or the method) is missing.
  const optionalCall = (self: unknown, name: string, ...args: unknown[]): unknown => {
    if (self === undefined || self === null) return undefined;
    const fn = (self as Record<string, unknown>)[name];
    return fn === undefined || fn === null ? undefined : invoke(fn, self, args);
  };
  // `super.m(...)`: the method is looked up by the code itself.
  const apply = (fn: unknown, self: unknown, ...args: unknown[]): unknown => invoke(fn, self, args);
  const construct = (ctor: unknown, ...args: unknown[]): unknown => {
    const cost = constructCostOf(ctor);
    if (cost !== undefined) charge(cost(undefined, args));
    const made = reflectConstruct(ctor as new (...a: unknown[]) => unknown, args);
    // The entries a WeakMap starts with (an array of pairs: argLength refuses other iterables).
    if (ctor === WeakMap && Array.isArray(args[0])) for (const e of args[0] as unknown[]) if (Array.isArray(e)) sink.weakEntry(made as object, e[0], true, e[1]);
    if (sink.isOpen) note(made, ctor);
    return made;
  };
  // `...x` in an array, a call or an object: the elements or own keys copied.
  const spread = (v: unknown): unknown => {
    charge(1 + spreadSize(v));
    return v;
  };
  // `class A extends C`: a charged builtin constructor is replaced by a subclass whose construction is charged like `new C(...)`.
  const extendsCache = new Map<unknown, unknown>();
  const extend = (parent: unknown): unknown => {
    const found = CONSTRUCT_COSTS.get(parent);
    if (found === undefined) return parent;
    const cost: Cost = found;
    let sub = extendsCache.get(parent);
    if (sub === undefined) {
      const P = parent as new (...a: unknown[]) => object;
      sub = class extends P {
        constructor(...args: unknown[]) {
          charge(cost(undefined, args));
          super(...args);
        }
      };
      Object.freeze((sub as { prototype: object }).prototype);
      Object.freeze(sub);
      extendsCache.set(parent, sub);
    }
    return sub;
  };
  return {
    call: Object.freeze(call),
    optionalCall: Object.freeze(optionalCall),
    apply: Object.freeze(apply),
    construct: Object.freeze(construct),
    spread: Object.freeze(spread),
    extend: Object.freeze(extend),
    value: Object.freeze(value),
    literal: Object.freeze(sink.literal),
    keep: Object.freeze(sink.keep),
  };
}

function spreadSize(v: unknown): number {
  if (typeof v === 'string') return v.length;
  if (typeof v !== 'object' || v === null || types.isProxy(v)) return 0;
  if (types.isTypedArray(v)) return reflectApply(typedLength, v, []) as number;
  if (Array.isArray(v)) return v.length;
  const size = collectionSize(v);
  return size > 0 ? size : types.isMapIterator(v) || types.isSetIterator(v) ? 0 : Reflect.ownKeys(v).length;
}
