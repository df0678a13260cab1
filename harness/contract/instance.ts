import type { CheckedHeap } from './checked-heap.ts';
import type { Allocator } from './types.ts';

/** C only: non-zero bytes found in the shadow-stack region between calls (offheap/stack-region.ts looks). */
export interface StackLeftover {
  /** First non-zero byte found and how many non-zero bytes the region holds. */
  address: number;
  bytes: number;
}

/** C only: a byte of the module's read-only data (string literals, const tables) changed since instantiation (wasm/read-only.ts). */
export interface ReadOnlyWrite {
  address: number;
  /** The data segment, e.g. `.rodata`. */
  segment: string;
  /** The literal (or constant) the byte was part of, as the module had it. */
  was: string;
  /** Bytes that differ in all read-only segments. */
  bytes: number;
}

/** TypeScript: bytes of typed arrays, arrays and collections made in one phase (load, the factory); harness/offheap/ledger.ts counts them. */
export interface OffHeapTally {
  bytes: number;
  /** The biggest single item counted, for the message ("a Uint32Array of 67108864 bytes"). */
  biggest?: { what: string; bytes: number };
}

/**
 * TypeScript: an instance whose tables (made at load, in createAllocator and
 * in its calls) exceeded the off-heap allowance, as they were the first time
 * they did (offheap/ledger.ts). The check or workload that made the instance
 * carries it; plan/off-heap-findings.ts turns it into the verdict.
 */
export interface OffHeapFinding {
  bytes: number;
  atLoad: number;
  inFactory: number;
  inCalls: number;
  /**
   * What a review found the allocator holds that no phase counted: tables in
   * objects the kit's routed calls never met, or met small and filled index
   * by index later (harness/offheap/ledger.ts `walk`). Absent when none.
   */
  reached?: number;
  /** The call of the instance (1-based) that exceeded the allowance; absent when load and factory alone did. */
  call?: number;
  /** The biggest single item, where it was made, and for a call which one and what it was asked ("malloc(72)"). */
  biggest?: { what: string; bytes: number; made: 'load' | 'factory' | 'call' | 'reached'; call?: number; op?: string };
}

/** One fresh heap with one allocator on it, like mm_init per trace. */
export interface AllocatorInstance {
  readonly heap: CheckedHeap;
  readonly allocator: Allocator;
  /** What the submission printed since the last call (C printf), capped; '' when nothing. */
  takeOutput?(): string;
  /** C only: non-zero bytes left in the shadow-stack region between calls (a side table there is off-heap metadata). */
  stackLeftover?(): StackLeftover | null;
  /** C only: the first write into the module's string literals and constants, or null (a literal used as a table is off-heap metadata). */
  readOnlyWritten?(): ReadOnlyWrite | null;
  /** TypeScript in a compartment: the typed arrays, arrays and collections its factory made (offheap/ledger.ts). */
  readonly madeOffHeap?: OffHeapTally;
  /** TypeScript in a compartment: its account exceeded the off-heap allowance (load, factory and calls so far), or null. */
  offHeapFinding?(): OffHeapFinding | null;
}

export interface InstanceOptions {
  /** Chooses the heap base (and anything else random about the instance). */
  seed: number;
  /** Heap limit in bytes. */
  limit: number;
}

/** A loaded submission, TypeScript or C, ready to make instances. */
export interface LoadedSubmission {
  /** What the user named: a path or `ref:NAME`. */
  readonly spec: string;
  readonly language: 'ts' | 'c';
  /**
   * Makes a fresh heap and allocator. Throws LoadError when the factory (or
   * mm_init) fails: the submission's fault, reported as a load failure.
   */
  instantiate(options: InstanceOptions): AllocatorInstance;
  /** What the module printed while it was loaded (its top-level code), shown with every check's output. */
  readonly loadOutput?: string;
  /**
   * C only: the module's static data and bss (global state lives off the heap).
   * The checker reports `off-heap-metadata` when it exceeds the configured limit.
   */
  readonly staticData?: { bytes: number; symbols: { name: string; bytes: number; compound?: true }[] };
  /** Compiler warnings and similar notes to show with the result. */
  readonly notes?: string[];
  /** TypeScript in a compartment: the typed arrays, arrays and collections its module made when it loaded (offheap/ledger.ts). */
  readonly madeAtLoad?: OffHeapTally;
  /**
   * TypeScript in a compartment: the same bundle evaluated again, in a new
   * compartment, as a second, independent module, and the size of that
   * bundle. off-heap-metadata measures everything a module keeps from its
   * load on (offheap/retained.ts) on such a fresh module: the first one's
   * state has been used by earlier checks by then.
   */
  readonly reloadable?: { readonly sourceBytes: number; reload(): LoadedSubmission };
}
