/**
 * Tamper detection for the isolated child: a fingerprint of the built-in
 * objects the kit relies on (prototypes, JSON, Math, Reflect, process's
 * channel and exit functions), taken before student code loads and compared
 * after grading. A submission that patches any of them has had the chance to
 * bend the kit's own results, so its run is recorded as a failure.
 *
 * Everything used to take and compare the fingerprint is captured when this
 * module loads, so patched globals cannot hide their own changes.
 */
const ownKeys = Reflect.ownKeys;
const getDescriptor = Object.getOwnPropertyDescriptor;
const toText = String;
const same = Object.is;
const createObject = Object.create;
const getPrototype = Object.getPrototypeOf;

interface Entry {
  path: string;
  value: unknown;
  get: unknown;
  set: unknown;
  flags: number;
}

export interface Fingerprint {
  readonly entries: readonly Entry[];
}

/** Properties of `process` that carry results out or end the run. */
const PROCESS_KEYS = ['send', 'exit', 'reallyExit', 'kill', '_kill', 'abort', 'disconnect', 'emit', 'on', 'once', 'nextTick', 'channel', 'ppid'];

/** Globals whose identity (and, for objects, own properties) must not change. */
const GLOBAL_NAMES = [
  'Object', 'Function', 'Array', 'String', 'Number', 'Boolean', 'Symbol', 'BigInt', 'Error', 'TypeError', 'RangeError',
  'JSON', 'Math', 'Reflect', 'Proxy', 'Promise', 'Map', 'Set', 'WeakMap', 'ArrayBuffer', 'SharedArrayBuffer',
  'DataView', 'Uint8Array', 'Int32Array', 'Atomics', 'structuredClone', 'queueMicrotask', 'setTimeout',
];

function flagsOf(d: PropertyDescriptor): number {
  return (d.writable ? 1 : 0) | (d.enumerable ? 2 : 0) | (d.configurable ? 4 : 0);
}

function addOwn(entries: Entry[], label: string, target: object): void {
  const keys = ownKeys(target);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const d = getDescriptor(target, key);
    if (!d) continue;
    entries[entries.length] = { path: `${label}.${toText(key)}`, value: d.value, get: d.get, set: d.set, flags: flagsOf(d) };
  }
}

/** Takes the fingerprint of the current realm's intrinsics. */
export function takeFingerprint(): Fingerprint {
  const entries: Entry[] = [];
  const g = globalThis as unknown as Record<string, unknown>;
  for (let i = 0; i < GLOBAL_NAMES.length; i++) {
    const name = GLOBAL_NAMES[i]!;
    const d = getDescriptor(g, name);
    entries[entries.length] = { path: name, value: d?.value, get: d?.get, set: d?.set, flags: d ? flagsOf(d) : -1 };
    const v = d?.value as unknown;
    if ((typeof v === 'object' && v !== null) || typeof v === 'function') {
      addOwn(entries, name, v as object);
      const proto = (v as { prototype?: unknown }).prototype;
      if (typeof proto === 'object' && proto !== null) addOwn(entries, `${name}.prototype`, proto);
    }
  }
  for (let i = 0; i < PROCESS_KEYS.length; i++) {
    const key = PROCESS_KEYS[i]!;
    const d = effectiveDescriptor(process, key);
    entries[entries.length] = { path: `process.${key}`, value: d?.value, get: d?.get, set: d?.set, flags: d ? flagsOf(d) : -1 };
  }
  return { entries };
}

/**
 * The descriptor a property lookup on `target` would use: its own, or the
 * nearest one up the prototype chain (process.emit lives on
 * EventEmitter.prototype, two levels up). What counts is the function a call
 * reaches, not where it is stored: signal-exit (execa's dependency, used by
 * the kit's C toolchain probe) saves process.emit and later restores it by
 * assignment, which leaves an own property with the very same function.
 * Replacing the function, here or on any prototype above, still shows.
 */
function effectiveDescriptor(target: object, key: string): PropertyDescriptor | undefined {
  for (let o: object | null = target; o !== null; o = getPrototype(o)) {
    const d = getDescriptor(o, key);
    if (d) return d;
  }
  return undefined;
}

/** Paths that differ between two fingerprints (added, removed or replaced), at most `max`. */
export function diffFingerprints(before: Fingerprint, after: Fingerprint, max = 20): string[] {
  const changed: string[] = [];
  const old = createIndex(before);
  const now = createIndex(after);
  const a = before.entries;
  const b = after.entries;
  for (let i = 0; i < a.length && changed.length < max; i++) {
    const x = a[i]!;
    const y = now[x.path];
    if (!y) changed[changed.length] = `${x.path} (removed)`;
    else if (!same(x.value, y.value) || x.get !== y.get || x.set !== y.set || x.flags !== y.flags) changed[changed.length] = x.path;
  }
  for (let i = 0; i < b.length && changed.length < max; i++) {
    if (!old[b[i]!.path]) changed[changed.length] = `${b[i]!.path} (added)`;
  }
  return changed;
}

function createIndex(f: Fingerprint): Record<string, Entry | undefined> {
  // A null-prototype object: lookups cannot reach a patched Object.prototype.
  const index = createObject(null) as Record<string, Entry | undefined>;
  for (let i = 0; i < f.entries.length; i++) index[f.entries[i]!.path] = f.entries[i];
  return index;
}
