/**
 * A course profile: what one handout (CMU malloclab 2002/2010/2016, UIUC
 * CS 341, or the kit's strict default) says about the allocator a student
 * hands in. It is data: the data model, the alignment, the heap limit, the
 * headers and macros the file is compiled with, and which correctness checks
 * the handout requires. A check it does not require still runs and is
 * reported as "beyond the handout", worth 0 points and never a failure.
 */

import type { HandoutDeclarations } from './declarations.ts';
import type { TraceReading } from '../trace/parse.ts';

/** ILP32: wasm32 (int, long, pointers 4 bytes). LP64: memory64 wasm (long, pointers, size_t 8 bytes), as the 64-bit handouts assume. */
export type DataModel = 'ilp32' | 'lp64';

export interface ProfileRule {
  /** What the rule is, in the kit's words. */
  rule: string;
  /** Where the handout says so (file, section, or the research note it was read from). */
  source: string;
}

export interface Profile {
  name: string;
  /** One line: which handout. */
  title: string;
  model: DataModel;
  alignment: 8 | 16;
  /** Bytes the heap may grow to (the handout's MAX_HEAP, or the kit's when the handout's does not fit). */
  heapLimit: number;
  /** Bytes of global data allowed before `off-heap-metadata` (CMU's rule: 128). */
  staticDataLimit: number;
  /**
   * The global-data rule: 'bytes' (CMU 2016+: at most staticDataLimit bytes) or 'no-compound'
   * (the 2002 handout: no global or static arrays or structs at all; scalars allowed).
   */
  staticDataRule: 'bytes' | 'no-compound';
  /** Globals the handout itself requires, not counted in the limit (the 2002 handout's `team` struct). */
  staticDataExempt: string[];
  /** Macros the handout's driver compiles with (e.g. DRIVER, which renames malloc to mm_malloc). */
  defines: string[];
  /**
   * How .rep traces are read: 'mdriver' as the 2010-2016 drivers read them (a missing size keeps the
   * previous one, lines past the op count are ignored, each with a warning); 'mdriver-2002' keeps a
   * missing size but errs on extra lines (that driver asserts the count); 'strict': both are errors.
   */
  traceReading: TraceReading;
  /** How the handout's mm.h declares mm_init and mm_checkheap (used when the file does not define them). */
  declarations: HandoutDeclarations;
  /** Correctness checks the handout does not require, with why. They run, score 0 and never fail. */
  beyond: Record<string, string>;
  /** Each rule with the handout text it comes from (README, `heapgrade profiles`). */
  rules: ProfileRule[];
}

/** What a course's own profile file (JSON) may contain: a base profile and the keys it changes. */
export interface ProfileFile extends Partial<Omit<Profile, 'name'>> {
  name?: string;
  /** The built-in profile this one starts from. @default 'heapgrade' */
  extends?: string;
}
