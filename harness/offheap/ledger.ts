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
 *   holding a value (a method too; not an accessor, which is code), a Map
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
 * Bindings: the transform also hands the ledger every object or function
 * bound to a variable that can outlive its call (`keep`: any assignment to a
 * variable; at the bundle's top level and in a function that makes a
 * closure, a generator or an async function, its declarations, parameters,
 * loop variables and caught errors). At load and in the factory a kept
 * value is met like a literal, whatever it is (a function, a generator, a
 * rest array, a caught error: test/attack/offheap-evasion-2.test.ts); in a
 * call the account remembers the last value each binding site was given.
 *
 * Reviews: when an instance's finding is read (`review`, `takeFinding`, at
 * the end of each check and workload), the arrays and objects load and the
 * factory made are sized again (one made empty there and filled index by
 * index by calls counts what it grew by), and the ledger walks everything
 * they, the compartment's global object and the account's kept values
 * reach: own properties and accessors, elements, Map and Set entries, the
 * WeakMap entries routed calls set (`weakEntry`), prototypes. What no phase
 * counted is the account's `reach`, recomputed by each review (the largest
 * kept): a table made small in one call and filled index by index by later
 * ones, or held by an object no call site meets
 * (test/attack/offheap-evasion-4.test.ts). The kit's objects (the globals it
 * endows, the heap port) are excluded. A walk stops once past the
 * allowance, or after WALK_LIMIT objects (counted as a table of them).
 *
 * What only a value bound in a call reaches counts item by item from
 * CALL_FLOOR_BYTES up, like what a call makes: a call's scratch (a list of
 * candidate blocks gathered, sorted and dropped) is still the last value
 * its binding was given, and is no table. A function is a value like any
 * other (a method counts 16 bytes), and so are the named properties of an
 * array, a typed array or a collection.
 *
 * Not seen: a table reachable only through the context of a closure (or the
 * frame of a suspended generator) made by a call of a function whose later
 * calls bound the same site again; a promise's value; pieces each under the
 * call floor reached only from a value a call bound; a string. The
 * retained-memory bound (retained.ts) still bounds those.
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

/** Own keys beyond which an object is sized by their number alone (32 times the allowance at 16 bytes a key). */
const MANY_KEYS = 4096;

/** Objects a review's walk meets at most: an allocator whose bindings reach more keeps that many objects outside the heap. */
const WALK_LIMIT = 1 << 16;

/** What a walk found that no phase counted. */
interface Reached {
  bytes: number;
  biggest?: { what: string; bytes: number };
}

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
  /** The last object or function its calls bound at each site (the transform's `keep`): where a review's walk starts, with load's and the factory's items. */
  readonly kept = new Map<number, object>();
  /**
   * The most a review found reachable from its bindings and items that no
   * phase counted (a table made small in one call and filled index by index
   * by later ones, or in an object no phase meets): recomputed at each
   * review, the largest kept, so the same table found again is not added twice.
   */
  reach = 0;
  /** Whether the ledger lists it for the next review (`accounts`). */
  listed = false;
  reachBiggest?: { what: string; bytes: number; call: number };
  constructor(
    readonly atLoad: OffHeapTally,
    readonly inFactory: OffHeapTally,
    /** The arrays and objects load and the factory made: sized again when the finding is read (`review`), since calls may fill them index by index, which no phase sees. */
    readonly loadItems: ReadonlySet<object> = new Set(),
    readonly factoryItems: ReadonlySet<object> = new Set(),
  ) {}

  get bytes(): number {
    return this.atLoad.bytes + this.inFactory.bytes + this.inCalls.bytes + this.reach;
  }

  /** The finding as of now (kept once, the first time the allowance is exceeded). */
  snapshot(call?: number): OffHeapFinding {
    let biggest: OffHeapFinding['biggest'];
    for (const [t, made] of [[this.atLoad, 'load'], [this.inFactory, 'factory'], [this.inCalls, 'call']] as const) {
      if (t.biggest && t.biggest.bytes > (biggest?.bytes ?? 0)) biggest = { ...t.biggest, made, ...(made === 'call' && this.biggestCall) };
    }
    const r = this.reachBiggest;
    if (r && r.bytes > (biggest?.bytes ?? 0)) biggest = { what: r.what, bytes: r.bytes, made: 'reached', call: r.call };
    return {
      bytes: this.bytes,
      atLoad: this.atLoad.bytes,
      inFactory: this.inFactory.bytes,
      inCalls: this.inCalls.bytes,
      ...(this.reach > 0 && { reached: this.reach }),
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
  /** The kit's and the engine's objects a compartment reaches (its globals, the heap port): never the allocator's tables, never walked. */
  private readonly foreign = new WeakSet<object>();
  /**
   * Objects the running review round's walks visited (what an instance
   * reaches through its module is the module's, walked once a round); empty
   * between rounds, so the kit holds nothing of the allocator's at a snapshot.
   */
  private visited = new Set<object>();
  /** What a round's walk found reachable from a module's load items (shared by its instances). */
  private readonly moduleReach = new WeakMap<ReadonlySet<object>, { round: number; found: Reached }>();

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
    else if (types.isMap(v) || types.isSet(v) || types.isWeakMap(v)) this.meet(v, site);
    // An object a builtin or a constructor made (JSON.parse, Object.fromEntries, `new` of a class) is a table like a
    // literal; an object a method only worked on (no site) is not what the call made.
    else if (site !== undefined) this.meet(v, site);
  };

  /** An array or object literal as it is made (the transform's `__heapgrade_lit__`, with its offset): met while a phase is open, returned as it is. */
  readonly literal = <T>(v: T, site?: number): T => {
    if (this.open) this.meet(v as object, site);
    return v;
  };

  /**
   * A value bound to a variable that may outlive the call (the transform's
   * `__heapgrade_keep__`, with the binding's offset as its site), returned as
   * it is. At load and in the factory it is met like a literal; in a call, the
   * account remembers the last object each site bound, where a review's walk
   * starts: a table made small in one call and filled by later ones, or kept
   * in something no phase meets (a function, a generator, a caught error).
   */
  readonly keep = <T>(v: T, site: number): T => {
    if (!this.open || v === null || (typeof v !== 'object' && typeof v !== 'function')) return v;
    const account = this.account;
    if (account === null) this.hold(v as object, site);
    else {
      if (!account.listed && account.finding === null) this.list(account);
      account.kept.set(site, v as object);
    }
    return v;
  };

  /**
   * A WeakMap's entries, as routed calls set them (builtin-costs.ts): a
   * WeakMap cannot be listed, so a table kept as one of its values would be
   * out of any walk. Held as long as the WeakMap lives; it is sized and
   * walked like a Map.
   */
  readonly weakEntry = (map: object, key: unknown, set: boolean, value?: unknown): void => {
    let entries = WEAK_ENTRIES.get(map);
    if (entries === undefined) {
      if (!set) return;
      entries = new Map();
      WEAK_ENTRIES.set(map, entries);
    }
    if (set) entries.set(key, value);
    else entries.delete(key);
  };

  /** What a bound function holds (its `this` and arguments, builtin-costs.ts): walked like its properties. */
  readonly boundTo = (fn: unknown, held: unknown[]): void => {
    if (typeof fn === 'function') BOUND.set(fn, [...held]);
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

  /** At load or in the factory: a kept value is counted like a literal (a function or any object is a table like one) and sized again at each review. */
  private hold(v: object, site: number): void {
    if (isView(v) || types.isArrayBuffer(v)) this.note(v, site);
    else if (!types.isProxy(v)) this.meet(v, site);
  }

  /**
   * Marks `root` and all it reaches (own properties, accessors, prototypes)
   * as the kit's: a review's walk stops there. For what the kit hands a
   * compartment (hardened: nothing the submission adds to it).
   */
  exclude(root: unknown): void {
    const stack: unknown[] = [root];
    while (stack.length > 0) {
      const o = stack.pop();
      if (o === null || (typeof o !== 'object' && typeof o !== 'function') || this.foreign.has(o)) continue;
      this.foreign.add(o);
      if (types.isProxy(o)) continue;
      stack.push(Reflect.getPrototypeOf(o));
      for (const k of ownKeys(o)) {
        const d = describe(o, k)!;
        stack.push(d.value, d.get, d.set);
      }
    }
  }

  /**
   * A compartment's global object, before its code runs: what is on it now
   * is the kit's (excluded), what the submission puts on it later is walked
   * like a load item (`globalThis.t = []` in a call, filled by later calls).
   */
  adoptGlobal(global: object): void {
    for (const k of ownKeys(global)) {
      const d = describe(global, k)!;
      for (const v of [d.value, d.get, d.set]) if (v !== global) this.exclude(v);
    }
    this.counted.set(global, itemSize(global, 0)[0] * ENTRY);
    if (this.open && this.account === null) this.startItems.add(global);
  }

  /** A new instance's account, from what its module made at load and its factory made; a finding at once if they exceed the allowance. */
  openAccount(atLoad: OffHeapTally, inFactory: OffHeapTally): InstanceAccount {
    const a = new InstanceAccount(atLoad, inFactory, this.itemsOf.get(atLoad), this.itemsOf.get(inFactory));
    this.judge(a, undefined);
    // Sized again at a review only while it has no finding (the first one is kept): a module whose load tables
    // already fail would otherwise have them sized again for every instance.
    if (a.finding === null && a.loadItems.size + a.factoryItems.size > 0) this.list(a);
    return a;
  }

  private list(a: InstanceAccount): void {
    a.listed = true;
    this.accounts.add(a);
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
    // Reviewed since its last call (a finding was read): listed again, so that the next review walks it too.
    if (!account.listed && account.finding === null && (account.kept.size > 0 || account.loadItems.size + account.factoryItems.size > 0)) this.list(account);
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
    // What its calls bound is walked now and let go: the kit must not keep a value the allocator dropped.
    this.round([...this.accounts].filter((a) => a.kept.size > 0), (a) => {
      a.kept.clear();
      if (a.finding === null && a.loadItems.size + a.factoryItems.size > 0) this.list(a);
    });
  }

  /** One review round: each account reviewed, the module's load items walked once. */
  private round(accounts: Iterable<InstanceAccount>, after?: (a: InstanceAccount) => void): void {
    this.reviews++;
    this.visited = new Set();
    try {
      for (const a of accounts) {
        this.reviewOne(a);
        after?.(a);
      }
    } finally {
      this.visited = new Set();
    }
  }

  /** The first finding on this thread since the last call (a check's or a workload's instances), and forgets it. */
  takeFinding(): OffHeapFinding | null {
    this.settle();
    this.round([...this.accounts]);
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
    this.round([a]);
  }

  private reviewOne(a: InstanceAccount): void {
    this.accounts.delete(a);
    a.listed = false;
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
    // What they and the bindings its calls kept reach, that no phase counted: its module's once a round.
    // Once past the allowance, a module's finding stands for all its instances: not walked again (a module that
    // keeps a million-key table would cost each of them a million descriptors).
    let mod = this.moduleReach.get(a.loadItems);
    if (mod === undefined || (mod.round !== this.reviews && mod.found.bytes <= OFF_HEAP_ALLOWANCE_BYTES)) {
      mod = { round: this.reviews, found: this.walk(a.loadItems, a, [], 0) };
      this.moduleReach.set(a.loadItems, mod);
    }
    const factory = this.walk(a.factoryItems, a, [], 0);
    // What only the values its calls bound reach counts by the call floor, like what a call makes: a call's scratch
    // (a list of candidate blocks gathered and dropped) is still the last value its binding was given.
    const calls = this.walk([], a, a.kept.values(), CALL_FLOOR_BYTES);
    const found = [mod.found, factory, calls];
    const bytes = found.reduce((n, f) => n + f.bytes, 0);
    if (bytes > a.reach) {
      a.reach = bytes;
      const b = found.reduce<Reached['biggest']>((top, f) => (f.biggest && f.biggest.bytes > (top?.bytes ?? 0) ? f.biggest : top), undefined);
      if (b) a.reachBiggest = { ...b, call: a.calls };
    }
    this.judge(a, a.calls);
  }

  /**
   * Walks what `items` (sized already: only what they hold) and `kept`
   * (sized too) reach through own properties, accessors, elements, entries
   * and prototypes, and returns the bytes of what no phase counted (each
   * item of `floor` bytes or more). What a
   * phase counted and has grown since counts what it added, in the calls.
   * The kit's objects and what the round already walked are skipped; the
   * walk ends once it has found more than the allowance, or met
   * WALK_LIMIT objects (then the allocator keeps more objects than any
   * honest one: counted as a table of that many).
   */
  private walk(items: Iterable<object>, a: InstanceAccount, kept: Iterable<object>, floor: number): Reached {
    const visited = this.visited;
    const stack: unknown[] = [];
    const found: Reached = { bytes: 0 };
    for (const c of items) {
      if (visited.has(c)) continue;
      visited.add(c);
      // Sized already, but by its elements or entries only: its named properties hold data too.
      this.reached(found, children(c, stack) * ENTRY, 'named properties of an array or a collection', floor);
    }
    for (const c of kept) stack.push(c);
    let visits = 0;
    while (stack.length > 0) {
      const o = stack.pop();
      if (o === null || (typeof o !== 'object' && typeof o !== 'function') || visited.has(o) || this.foreign.has(o)) continue;
      visited.add(o);
      if (types.isProxy(o)) continue;
      if (++visits > WALK_LIMIT) {
        found.bytes += WALK_LIMIT * ENTRY;
        found.biggest = { what: `more than ${WALK_LIMIT} objects`, bytes: WALK_LIMIT * ENTRY };
        break;
      }
      if (isView(o) || types.isArrayBuffer(o)) {
        // A buffer counts once, by the ledger or by this walk; a typed array's named properties like an object's.
        const b = types.isArrayBuffer(o) ? o : ((types.isDataView(o) ? apply(viewBuffer, o, []) : apply(typedBuffer, o, [])) as ArrayBuffer);
        let bytes = 0;
        if (!this.seen.has(b) && !visited.has(b) && !this.foreign.has(b)) {
          visited.add(b);
          bytes = apply(bufferLength, b, []) as number;
        }
        // Past the allowance with what the phases counted (not an earlier walk's finding, which this one replaces).
        if (bytes >= floor && found.bytes + bytes + a.bytes - a.reach > OFF_HEAP_ALLOWANCE_BYTES) {
          this.reached(found, bytes, `an ArrayBuffer of ${bytes} bytes`, floor);
          break;
        }
        // A big typed array was counted when it was made (it fails): its elements are not listed again.
        const named = (apply(bufferLength, b, []) as number) <= 1 << 16 ? children(o, stack) : 0;
        this.reached(found, bytes + named * ENTRY, bytes >= named * ENTRY ? `an ArrayBuffer of ${bytes} bytes` : `a typed array of ${named} properties`, floor);
        continue;
      }
      const before = this.counted.get(o);
      // Past the allowance alone when a walk last sized it: each instance's review would list its keys again.
      const over = before === undefined ? OVERSIZED.get(o) : undefined;
      if (over !== undefined) {
        this.reached(found, over.bytes, over.what, floor);
        break;
      }
      const [count, unit, kind] = itemSize(o, 0);
      const bytes = count * unit;
      if (before === undefined && bytes > OFF_HEAP_ALLOWANCE_BYTES) OVERSIZED.set(o, { bytes, what: itemName(kind, count) });
      if (before !== undefined && bytes > before) {
        this.counted.set(o, bytes);
        a.inCalls.bytes += bytes - before;
        if (bytes > (a.inCalls.biggest?.bytes ?? 0)) {
          a.inCalls.biggest = { what: itemName(kind, count), bytes };
          a.biggestCall = { call: a.calls, op: 'met small by a call, filled index by index by later ones' };
        }
      }
      if (before === undefined && bytes >= floor && found.bytes + bytes + a.bytes - a.reach > OFF_HEAP_ALLOWANCE_BYTES) {
        this.reached(found, bytes, itemName(kind, count), floor);
        break;
      }
      if (found.bytes + a.bytes - a.reach > OFF_HEAP_ALLOWANCE_BYTES) break;
      // An array's, a collection's named properties hold data too (its size counted only its elements or entries).
      const named = children(o, stack);
      if (before === undefined) this.reached(found, bytes + named * ENTRY, bytes >= named * ENTRY ? itemName(kind, count) : itemName('object', named), floor);
      else this.reached(found, named * ENTRY, itemName('object', named), floor);
    }
    return found;
  }

  /** Adds an item a walk found to what it found, if it is of `floor` bytes or more. */
  private reached(found: Reached, bytes: number, what: string, floor: number): void {
    if (bytes < floor || bytes === 0) return;
    found.bytes += bytes;
    if (bytes > (found.biggest?.bytes ?? 0)) found.biggest = { what, bytes };
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
    // An item met many times in one phase (two tables a loop fills by turns, each kept on every write) is sized once:
    // sizing it each time was quadratic (8192 meetings of two 4096-key objects took minutes).
    const sized = n > 16 ? new Set<object>() : undefined;
    for (let i = 0; i < n; i++) {
      const c = met[i]!;
      const site = metSite[i];
      met[i] = undefined as unknown as object;
      metSite[i] = undefined;
      if (sized !== undefined) {
        if (sized.has(c)) continue;
        sized.add(c);
      }
      if (types.isProxy(c) || this.foreign.has(c)) continue;
      // Load and the factory: an array or object may be filled by later calls, unseen; `review` sizes it again
      // and walks what it holds (a Map's values too).
      if (this.account === null) this.startItems.add(c);
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

const ITEM = { array: ['an array', 'element'], Map: ['a Map', 'entry'], WeakMap: ['a WeakMap', 'entry'], Set: ['a Set', 'entry'], object: ['an object', 'property'] } as const;
/** "an array of 1048576 elements", "a Map of 1 entry". */
function itemName(kind: keyof typeof ITEM, count: number): string {
  const [a, unit] = ITEM[kind];
  return `${a} of ${count} ${count === 1 ? unit : unit === 'element' ? 'elements' : unit === 'entry' ? 'entries' : 'properties'}`;
}

/** The entries of each WeakMap the compartments made (the ledger's `weakEntry`). */
const WEAK_ENTRIES = new WeakMap<object, Map<unknown, unknown>>();
/** Objects a walk found past the allowance on their own, with their size then (a table sized once, not per review). */
const OVERSIZED = new WeakMap<object, { bytes: number; what: string }>();
/** What each function `bind` made holds (the ledger's `boundTo`). */
const BOUND = new WeakMap<object, unknown[]>();

/** An item's count, bytes per unit and kind, as close() and a review size it (an object's data keys: 0 under `floor`). */
function itemSize(c: object, floor: number): [number, number, keyof typeof ITEM] {
  if (isArray(c)) return [c.length, ARRAY_SLOT, 'array'];
  if (types.isMap(c)) return [apply(mapSize, c, []) as number, ENTRY, 'Map'];
  if (types.isWeakMap(c)) return [WEAK_ENTRIES.get(c)?.size ?? 0, ENTRY, 'WeakMap'];
  if (types.isSet(c)) return [apply(setSize, c, []) as number, ENTRY, 'Set'];
  return [dataKeys(c, floor), ENTRY, 'object'];
}

const getDescriptor = Object.getOwnPropertyDescriptor;
/**
 * An own property's descriptor, without running the submission's code: an
 * engine error's `stack` is formatted when first read (its `message`
 * getter would run outside any call), so it is taken as plain data unread.
 */
function describe(o: object, k: PropertyKey): PropertyDescriptor | undefined {
  if (k === 'stack' && types.isNativeError(o)) return { value: '', writable: true, enumerable: false, configurable: true };
  return getDescriptor(o, k);
}
const mapForEach = Map.prototype.forEach;
const setForEach = Set.prototype.forEach;

/**
 * Pushes what an object holds: its prototype, its own properties' values and
 * accessors, a Map's keys and values, a Set's values, what a WeakMap or a
 * bound function holds. Returns how many of its own properties its size
 * left out: the named (not index) properties of an array, a typed array, a
 * Map or a Set, which hold data like an object's.
 */
function children(o: object, stack: unknown[]): number {
  stack.push(Reflect.getPrototypeOf(o));
  const collection = types.isMap(o) || types.isSet(o) || types.isWeakMap(o);
  if (types.isMap(o)) {
    apply(mapForEach, o, [(v: unknown, k: unknown) => void stack.push(k, v)]);
  } else if (types.isWeakMap(o)) {
    WEAK_ENTRIES.get(o)?.forEach((v, k) => void stack.push(k, v));
  } else if (types.isSet(o)) {
    apply(setForEach, o, [(v: unknown) => void stack.push(v)]);
  }
  const bound = typeof o === 'function' ? BOUND.get(o) : undefined;
  if (bound !== undefined) stack.push(...bound);
  const indexed = isArray(o) || isView(o);
  let named = 0;
  for (const k of ownKeys(o)) {
    if (indexed || collection) {
      if (typeof k === 'string' && (isIndex(k) || (k === 'length' && isArray(o)))) {
        if (isView(o)) continue; // a typed array's elements are numbers, in its buffer
      } else named++;
    }
    const d = describe(o, k);
    if (d === undefined) continue;
    if ('value' in d) {
      const v = d.value as unknown;
      if (v !== null && (typeof v === 'object' || typeof v === 'function')) stack.push(v);
    } else stack.push(d.get, d.set);
  }
  return named;
}

/**
 * The own properties of an object that hold a value, functions included (a
 * method is 16 bytes like any slot; 8192 closures are a table). An accessor
 * is code, not a slot (a module's namespace object is all getters). 0 when
 * even all its keys stay under `floor`.
 */
function dataKeys(o: object, floor: number): number {
  const keys = ownKeys(o);
  if (keys.length * ENTRY < floor) return 0;
  const fn = typeof o === 'function';
  // Far past the allowance, every key is taken as a slot unread: a table of 2^20 properties would cost each
  // sizing a million descriptors (seconds on a busy machine) to tell what fails either way.
  if (keys.length > MANY_KEYS) return keys.length;
  let n = 0;
  for (const k of keys) {
    if (fn && (k === 'length' || k === 'name' || k === 'prototype')) continue;
    const d = describe(o, k);
    // A function is a value like any other (8192 closures under named keys are a table); a prototype's
    // `constructor` is the class it belongs to, and an accessor is code.
    if (d !== undefined && 'value' in d && !(k === 'constructor' && typeof d.value === 'function')) n++;
  }
  return n;
}

/** An array index as a property key ("0", "4095"; not "007", not "4294967296"). */
function isIndex(k: string): boolean {
  const n = k.length;
  if (n === 0 || n > 10) return false;
  for (let i = 0; i < n; i++) {
    const c = k.charCodeAt(i);
    if (c < 48 || c > 57 || (i === 0 && c === 48 && n > 1)) return false;
  }
  // 2**32 - 1 and beyond are names, not indices (an array's elements stop at 2**32 - 2).
  return n < 10 || Number(k) <= 4294967294;
}

const toStringTag = Object.getOwnPropertyDescriptor(TypedArray.prototype, Symbol.toStringTag)!.get!;
function typedArrayName(v: object): string {
  return String(apply(toStringTag, v, []) ?? 'typed array');
}

/** The thread's ledger: the compartments of a thread are endowed with its `note` and `literal`, and everything they run is synchronous. */
export const OFF_HEAP_LEDGER = new OffHeapLedger();
