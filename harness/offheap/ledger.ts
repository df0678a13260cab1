/**
 * What a TypeScript allocator keeps outside the heap: the typed arrays,
 * ArrayBuffers, arrays, plain objects and Maps/Sets it makes when its module
 * loads, in createAllocator and in ANY call of ANY instance (every check and
 * every workload). The growth measurement (measure.ts) cannot see a table
 * allocated once at full size, nor one made by a call it never makes (the
 * first malloc of more than 64 bytes, the 5000th): this ledger counts them
 * exactly, wherever they are made.
 *
 * Counted deterministically, not sampled: every `new` the compartment
 * evaluates, every builtin call routed through the kit's call sites
 * (harness/meter/builtin-costs.ts) and every array or object literal
 * (`[...]`, `{...}`: the transform wraps them, harness/meter/ts-transform.ts)
 * hands its result (and the object a method worked on) to the ledger while
 * a phase is open. Each item is counted once, by identity:
 * - an ArrayBuffer (or the buffer of a typed array or DataView) by its
 *   byteLength, a resizable one by its maxByteLength (what it may become),
 *   when it is met;
 * - an array at 8 bytes per element, a plain object at 16 per own property
 *   holding data (not a method or an accessor: code is not a table), a Map
 *   or Set at 16 per entry, sized when the phase closes (an array filled
 *   index by index after it was made still counts, if that happens in the
 *   same phase); a later phase that meets it again counts what it added.
 *
 * Phases: the module's load and createAllocator count everything
 * (`measure`). Every call of an instance is a phase of its own (`enter`,
 * until `settle`), in which only items of CALL_FLOOR_BYTES or more count:
 * a call's tuples and small result objects are honest temporaries and are
 * never counted, so the ledger holds nothing of them past the call. And in
 * calls, each site (a literal's place in the source, the builtin or the
 * constructor that made the item) counts once the most it made in one call:
 * a call's scratch (a size-class table written inside the function, a list
 * of free blocks gathered to be sorted) is made again by every call from the
 * same place and dropped, like a C function's local array, which no rule
 * counts either. What one call makes from one site adds up (a table made of
 * a thousand chunks by one `new` in a loop counts whole); a table kept grows
 * the count by its size once, whichever call makes it, and an item that
 * grows in a later call counts what it added. Tables kept from one site by
 * several calls count as the largest call's, and what they add per block is
 * the growth measurement's (measure.ts). The
 * instance's account adds its load, factory and calls; the first time it
 * exceeds OFF_HEAP_ALLOWANCE_BYTES, the account records a finding (what,
 * how big, which call) and so does the thread (`takeFinding`), for the check
 * or workload that made the instance to report (plan/off-heap-findings.ts
 * turns it into the off-heap-metadata verdict in one place).
 *
 * The arrays and objects load and the factory made are sized again when an
 * instance's finding is read (`review`, at the end of each check and
 * workload): one made empty there and filled index by index by calls (no
 * builtin: no phase meets it again) counts what it grew by.
 *
 * Not seen: an array or object made empty in one call and filled index by
 * index (no builtin call) only in later calls; the growth measurement sees
 * it when it grows with the block count. Nor anything made other than by a
 * literal, `new` or a builtin (a function, an `arguments` object, a
 * destructuring rest): test/attack/offheap-evasion-2.test.ts.
 */
import { types } from 'node:util';
import type { OffHeapFinding, OffHeapTally } from '../contract/instance.ts';

/** Bytes of off-heap tables an allocator may keep (list heads, size-class tables): as the C rule lets 2 KiB of literals go uncounted. */
export const OFF_HEAP_ALLOWANCE_BYTES = 2048;

/**
 * In a call, the smallest item counted (32 array elements, 16 object keys or
 * collection entries, a 256-byte buffer): below it, a temporary (a tuple, a
 * small result object) is never counted, however many calls make one.
 */
export const CALL_FLOOR_BYTES = 256;

/** Items met in one phase before they are sized early (bounds what the ledger holds during one call). */
const MET_LIMIT = 1 << 16;

export type { OffHeapFinding, OffHeapTally };

const TypedArray = Object.getPrototypeOf(Uint8Array) as { prototype: object };
const getter = (proto: object, name: string): ((this: unknown) => unknown) => Object.getOwnPropertyDescriptor(proto, name)!.get!;
const typedBuffer = getter(TypedArray.prototype, 'buffer');
const viewBuffer = getter(DataView.prototype, 'buffer');
const bufferLength = getter(ArrayBuffer.prototype, 'byteLength');
const bufferMax = getter(ArrayBuffer.prototype, 'maxByteLength');
const bufferResizable = getter(ArrayBuffer.prototype, 'resizable');
const mapSize = getter(Map.prototype, 'size');
const setSize = getter(Set.prototype, 'size');
const apply = Reflect.apply;
const isArray = Array.isArray;
const isView = ArrayBuffer.isView;
const ownKeys = Reflect.ownKeys;

/** Per element of an array, per own key of an object, per entry of a Map or Set: what a slot holds on a 64-bit engine. */
const ARRAY_SLOT = 8;
const ENTRY = 16;

/** Which allocator method a call is, for the finding ("malloc(72)"). */
export type CallMethod = 'malloc' | 'free' | 'calloc' | 'realloc';

/** One instance's account: what its module made at load, its factory made, and its calls made (items of CALL_FLOOR_BYTES or more). */
export class InstanceAccount {
  /** Calls made so far (the running one included). */
  calls = 0;
  readonly inCalls: OffHeapTally = { bytes: 0 };
  /** Where inCalls' biggest item was made. */
  biggestCall?: { call: number; op: string };
  /** The state the first time the account exceeded the allowance; null while within it. */
  finding: OffHeapFinding | null = null;
  /** In calls: the most each site has made in one call (bytes), counted once. */
  readonly sites = new Map<unknown, number>();
  constructor(
    readonly atLoad: OffHeapTally,
    readonly inFactory: OffHeapTally,
    /** The arrays and objects load and the factory made: sized again when the finding is read (`review`), since calls may fill them index by index, which no phase sees. */
    readonly loadItems: ReadonlySet<object> = new Set(),
    readonly factoryItems: ReadonlySet<object> = new Set(),
  ) {}

  get bytes(): number {
    return this.atLoad.bytes + this.inFactory.bytes + this.inCalls.bytes;
  }

  /** The finding as of now (kept once, the first time the allowance is exceeded). */
  snapshot(call?: number): OffHeapFinding {
    let biggest: OffHeapFinding['biggest'];
    for (const [t, made] of [[this.atLoad, 'load'], [this.inFactory, 'factory'], [this.inCalls, 'call']] as const) {
      if (t.biggest && t.biggest.bytes > (biggest?.bytes ?? 0)) biggest = { ...t.biggest, made, ...(made === 'call' && this.biggestCall) };
    }
    return {
      bytes: this.bytes,
      atLoad: this.atLoad.bytes,
      inFactory: this.inFactory.bytes,
      inCalls: this.inCalls.bytes,
      ...(call !== undefined && { call }),
      ...(biggest && { biggest }),
    };
  }
}

export class OffHeapLedger {
  /** Whether a phase is open: the one flag `note` and `literal` check first. */
  private open = false;
  /** Items below this many bytes are not counted (0 at load and in the factory; CALL_FLOOR_BYTES in a call). */
  private floor = 0;
  /** The instance whose call is running, or null (a measured phase). */
  private account: InstanceAccount | null = null;
  private method: CallMethod = 'malloc';
  private arg0 = 0;
  private arg1 = 0;
  /** Something was counted in the running call: the account's total is looked at when it ends. */
  private added = false;
  /** Buffers counted once, ever: an instance's factory using its module's table does not count it again. */
  private readonly seen = new WeakSet<object>();
  /** Bytes already counted for a collection or object: a later phase counts only what it added. */
  private readonly counted = new WeakMap<object, number>();
  /** Collections and literals met in the open phase, sized when it ends; met[0..n) are live, with their sites. */
  private met: object[] = [];
  private metSite: unknown[] = [];
  /** What each site made in the running call (bytes of items new to the ledger). */
  private readonly callSites = new Map<unknown, number>();
  private n = 0;
  private tally: OffHeapTally = { bytes: 0 };
  /** The arrays and objects the open measured phase (load, factory) met: an account's loadItems or factoryItems. */
  private startItems = new Set<object>();
  /** What each measured phase's tally met (arrays and objects), for the accounts made from it. */
  private readonly itemsOf = new WeakMap<OffHeapTally, Set<object>>();
  /** Accounts opened since the last takeFinding and not reviewed yet: reviewed then (an instance's own finding reviews it earlier). */
  private accounts = new Set<InstanceAccount>();
  /**
   * A review's number: the module's load items, shared by all its instances,
   * are sized once per review however many accounts it covers (a check's
   * thousand instances would size them a thousand times).
   */
  private reviews = 0;
  private readonly reviewedIn = new WeakMap<ReadonlySet<object>, number>();
  /** The first account on this thread to exceed the allowance since the last takeFinding. */
  private found: OffHeapFinding | null = null;

  /** Hands a value the compartment made or worked on; counts nothing outside a phase. */
  readonly note = (v: unknown, site?: unknown): void => {
    if (!this.open || v === null) return;
    if (typeof v !== 'object') {
      // A function a builtin made (`bind`) holds properties like an object (its own length and name are not a table).
      if (typeof v === 'function' && site !== undefined) this.meet(v, site);
      return;
    }
    if (isArray(v)) this.meet(v, site);
    else if (isView(v)) {
      if (types.isDataView(v)) this.buffer(apply(viewBuffer, v, []) as ArrayBuffer, v, site);
      else this.buffer(apply(typedBuffer, v, []) as ArrayBuffer, v, site);
    } else if (types.isArrayBuffer(v)) this.buffer(v, v, site);
    else if (types.isMap(v) || types.isSet(v)) this.meet(v, site);
    // An object a builtin or a constructor made (JSON.parse, Object.fromEntries, `new` of a class) is a table like a
    // literal; an object a method only worked on (no site) is not what the call made.
    else if (site !== undefined) this.meet(v, site);
  };

  /** An array or object literal as it is made (the transform's `__heapgrade_lit__`, with its offset): met while a phase is open, returned as it is. */
  readonly literal = <T>(v: T, site?: number): T => {
    if (this.open) this.meet(v as object, site);
    return v;
  };

  /** Whether a phase is open (a routed call notes what it made only then). */
  get isOpen(): boolean {
    return this.open;
  }

  /** Runs `fn` with a phase open that counts everything, and returns what it made; phases nest (the inner one's items count in the outer one too). */
  measure<T>(fn: () => T): { value: T; tally: OffHeapTally } {
    this.settle();
    const outer = { open: this.open, floor: this.floor, account: this.account, tally: this.tally, met: this.met, metSite: this.metSite, n: this.n, added: this.added, startItems: this.startItems };
    this.open = true;
    this.floor = 0;
    this.account = null;
    this.tally = { bytes: 0 };
    this.met = [];
    this.metSite = [];
    this.n = 0;
    this.startItems = new Set();
    try {
      const value = fn();
      this.close();
      const tally = { ...this.tally };
      this.itemsOf.set(tally, this.startItems);
      return { value, tally };
    } finally {
      const inner = this.tally;
      const innerItems = this.startItems;
      Object.assign(this, outer);
      if (this.open && this.account === null) for (const c of innerItems) this.startItems.add(c);
      if (this.open) this.add(inner.bytes, inner.biggest?.what ?? '', inner.biggest?.bytes ?? 0);
    }
  }

  /** A new instance's account, from what its module made at load and its factory made; a finding at once if they exceed the allowance. */
  openAccount(atLoad: OffHeapTally, inFactory: OffHeapTally): InstanceAccount {
    const a = new InstanceAccount(atLoad, inFactory, this.itemsOf.get(atLoad), this.itemsOf.get(inFactory));
    this.judge(a, undefined);
    // Sized again at a review only while it has no finding (the first one is kept): a module whose load tables
    // already fail would otherwise have them sized again for every instance.
    if (a.finding === null && a.loadItems.size + a.factoryItems.size > 0) this.accounts.add(a);
    return a;
  }

  /**
   * Starts the phase of one call of an instance: items of CALL_FLOOR_BYTES or
   * more count in its account. The phase lasts until the next call, a load or
   * a factory starts, or a finding is read (`settle`): what a call met is
   * sized then, so a call costs the ledger a few field writes and no frame or
   * `finally` of its own. Inside a measured phase (load, factory) its items
   * are that phase's.
   */
  enter(account: InstanceAccount, method: CallMethod, arg0: number, arg1: number): void {
    if (this.account !== null) {
      if (this.n > 0 || this.added) this.settle();
    } else if (this.open) {
      account.calls++;
      return;
    }
    account.calls++;
    // What the previous call's sites made ends with it (settled or not: a call that counted nothing new is not).
    if (this.callSites.size > 0) this.callSites.clear();
    this.open = true;
    this.floor = CALL_FLOOR_BYTES;
    this.account = account;
    this.tally = account.inCalls;
    this.method = method;
    this.arg0 = arg0;
    this.arg1 = arg1;
  }

  /** Ends the running call's phase, if any: sizes what it met, drops it, and records the account's finding if it now exceeds the allowance. */
  settle(): void {
    const account = this.account;
    if (account === null) return;
    try {
      if (this.n > 0) this.close();
    } finally {
      this.open = false;
      this.floor = 0;
      this.account = null;
      this.tally = { bytes: 0 };
      if (this.added) {
        this.added = false;
        this.judge(account, account.calls);
      }
    }
  }

  /**
   * Lets go of every student object the ledger holds only for the running
   * call (the items it met, the sites it counted), after sizing them as the
   * call's end would: before a snapshot of the thread's memory
   * (measure.ts `retained`), so that nothing the allocator made is kept alive
   * by the kit in one snapshot and not the next (a 32 MiB string in the last
   * call's literal hid a table as big: test/attack/offheap-evasion-3.test.ts).
   */
  release(): void {
    this.settle();
    this.callSites.clear();
    if (this.met.length > 0) {
      this.met = [];
      this.metSite = [];
    }
  }

  /** The first finding on this thread since the last call (a check's or a workload's instances), and forgets it. */
  takeFinding(): OffHeapFinding | null {
    this.settle();
    this.reviews++;
    for (const a of this.accounts) this.reviewOne(a);
    const f = this.found;
    this.found = null;
    return f;
  }

  /**
   * Sizes again the arrays and objects an account's load and factory made:
   * one made empty there and filled index by index by later calls (no
   * builtin, no literal: no phase meets it again) counts what it grew by, as
   * made by its calls (test/fixtures/attack/unmet-tables.ts, 'big').
   */
  review(a: InstanceAccount): void {
    this.settle();
    this.reviews++;
    this.reviewOne(a);
  }

  private reviewOne(a: InstanceAccount): void {
    this.accounts.delete(a);
    if (a.finding !== null) return; // kept as it was the first time
    const load = this.reviewedIn.get(a.loadItems) === this.reviews ? [] : a.loadItems;
    this.reviewedIn.set(a.loadItems, this.reviews);
    for (const c of [...load, ...a.factoryItems]) {
      const [count, unit, kind] = itemSize(c, 0);
      const bytes = count * unit;
      const before = this.counted.get(c) ?? 0;
      if (bytes <= before) continue;
      this.counted.set(c, bytes);
      a.inCalls.bytes += bytes - before;
      if (bytes > (a.inCalls.biggest?.bytes ?? 0)) {
        a.inCalls.biggest = { what: itemName(kind, count), bytes };
        a.biggestCall = { call: a.calls, op: 'made at load or in createAllocator, filled index by index by its calls' };
      }
    }
    this.judge(a, a.calls);
  }

  private judge(a: InstanceAccount, call: number | undefined): void {
    if (a.finding !== null || a.bytes <= OFF_HEAP_ALLOWANCE_BYTES) return;
    a.finding = a.snapshot(call);
    this.found ??= a.finding;
  }

  private meet(v: object, site: unknown): void {
    if (this.n > 0 && this.met[this.n - 1] === v) return; // the same array worked on twice in a row
    this.metSite[this.n] = site;
    this.met[this.n++] = v;
    if (this.n >= MET_LIMIT) this.close();
  }

  private close(): void {
    const met = this.met;
    const metSite = this.metSite;
    const n = this.n;
    this.n = 0;
    for (let i = 0; i < n; i++) {
      const c = met[i]!;
      const site = metSite[i];
      met[i] = undefined as unknown as object;
      metSite[i] = undefined;
      if (types.isProxy(c)) continue;
      // Load and the factory: an array or object may be filled by later calls, unseen; `review` sizes it again.
      if (this.account === null && !types.isMap(c) && !types.isSet(c)) this.startItems.add(c);
      const [count, unit, kind] = itemSize(c, this.floor);
      const bytes = count * unit;
      if (bytes < this.floor) continue;
      const before = this.counted.get(c) ?? 0;
      if (bytes <= before) continue;
      this.counted.set(c, bytes);
      // In a call, an item new to the ledger adds to its site's count for the call; one that grows counts what it added.
      if (this.account !== null && before === 0 && site !== undefined) this.bySite(site, bytes, itemName(kind, count));
      else this.add(bytes - before, itemName(kind, count), bytes);
    }
    if (met.length > 64) {
      this.met = [];
      this.metSite = [];
    }
  }

  /** A call's new item, by its site: what the site made in this call, beyond the most it made in an earlier call, counts. */
  private bySite(site: unknown, bytes: number, what: string): void {
    const made = (this.callSites.get(site) ?? 0) + bytes;
    this.callSites.set(site, made);
    const sites = this.account!.sites;
    const top = sites.get(site) ?? 0;
    if (made <= top) return;
    sites.set(site, made);
    this.add(made - top, what, bytes);
  }

  private buffer(b: ArrayBuffer, holder: object, site: unknown): void {
    if (this.seen.has(b)) return;
    const bytes = (apply(bufferResizable, b, []) ? apply(bufferMax, b, []) : apply(bufferLength, b, [])) as number;
    // Below the floor (a call's small temporary): not counted, not remembered.
    if (bytes < this.floor) return;
    this.seen.add(b);
    const name = types.isArrayBuffer(holder) ? 'ArrayBuffer' : types.isDataView(holder) ? 'DataView' : typedArrayName(holder);
    const what = `${/^[AEIO]/.test(name) ? 'an' : 'a'} ${name} of ${bytes} bytes`;
    if (this.account !== null && site !== undefined) this.bySite(site, bytes, what);
    else this.add(bytes, what);
  }

  private add(bytes: number, what: string, itemBytes = bytes): void {
    this.tally.bytes += bytes;
    if (itemBytes > (this.tally.biggest?.bytes ?? 0)) {
      this.tally.biggest = { what, bytes: itemBytes };
      if (this.account !== null) this.account.biggestCall = { call: this.account.calls, op: this.callText() };
    }
    if (this.account !== null) this.added = true;
  }

  private callText(): string {
    switch (this.method) {
      case 'malloc':
        return `malloc(${this.arg0})`;
      case 'free':
        return 'free(p)';
      case 'calloc':
        return `calloc(${this.arg0}, ${this.arg1})`;
      case 'realloc':
        return `realloc(p, ${this.arg1})`;
    }
  }
}

const ITEM = { array: ['an array', 'element'], Map: ['a Map', 'entry'], Set: ['a Set', 'entry'], object: ['an object', 'property'] } as const;
/** "an array of 1048576 elements", "a Map of 1 entry". */
function itemName(kind: keyof typeof ITEM, count: number): string {
  const [a, unit] = ITEM[kind];
  return `${a} of ${count} ${count === 1 ? unit : unit === 'element' ? 'elements' : unit === 'entry' ? 'entries' : 'properties'}`;
}

/** An item's count, bytes per unit and kind, as close() and a review size it (an object's data keys: 0 under `floor`). */
function itemSize(c: object, floor: number): [number, number, keyof typeof ITEM] {
  if (isArray(c)) return [c.length, ARRAY_SLOT, 'array'];
  if (types.isMap(c)) return [apply(mapSize, c, []) as number, ENTRY, 'Map'];
  if (types.isSet(c)) return [apply(setSize, c, []) as number, ENTRY, 'Set'];
  return [dataKeys(c, floor), ENTRY, 'object'];
}

const describe = Object.getOwnPropertyDescriptor;
/**
 * The own properties of an object that hold data: a method or an accessor is
 * code, not a table slot (a module's namespace object is all getters, the
 * allocator object all methods). 0 when even all its keys stay under `floor`.
 */
function dataKeys(o: object, floor: number): number {
  const keys = ownKeys(o);
  if (keys.length * ENTRY < floor) return 0;
  const fn = typeof o === 'function';
  let n = 0;
  for (const k of keys) {
    if (fn && (k === 'length' || k === 'name' || k === 'prototype')) continue;
    const d = describe(o, k);
    if (d !== undefined && 'value' in d && typeof d.value !== 'function') n++;
  }
  return n;
}

const toStringTag = Object.getOwnPropertyDescriptor(TypedArray.prototype, Symbol.toStringTag)!.get!;
function typedArrayName(v: object): string {
  return String(apply(toStringTag, v, []) ?? 'typed array');
}

/** The thread's ledger: the compartments of a thread are endowed with its `note` and `literal`, and everything they run is synchronous. */
export const OFF_HEAP_LEDGER = new OffHeapLedger();
