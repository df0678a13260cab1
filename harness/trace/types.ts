/**
 * A trace is a sequence of operations on block ids (malloclab .rep semantics,
 * plus `c` for calloc). Ids name blocks; the checker maps them to pointers.
 */
import { hex } from '../util/format.ts';

export type Op =
  | { readonly kind: 'a'; readonly id: number; readonly size: number }
  | { readonly kind: 'f'; readonly id: number } // id -1: free(NULL)
  | { readonly kind: 'r'; readonly id: number; readonly size: number } // unseen id: realloc(NULL, size)
  | { readonly kind: 'c'; readonly id: number; readonly count: number; readonly size: number };

export type OpKind = Op['kind'];

export interface Trace {
  /** Where the trace came from (file path or generator name). */
  readonly name: string;
  readonly ops: readonly Op[];
  /** Relative weight for scoring (from the .rep header when it has one). */
  readonly weight?: number;
  /** Suggested heap size from a .rep header, informative only. */
  readonly suggestedHeap?: number;
  /** The malloclab header layout the file used (parseRep detects it). */
  readonly generation?: RepGeneration;
  /** Peak live payload bytes stated by a 2016-style header, informative only. */
  readonly headerPeak?: number;
  /**
   * Indices of ops whose request exceeds a 32-bit size_t (e.g. 2016
   * syn-largemem's 36 GB mallocs). They stay in the trace unchanged; the
   * only correct answer is NULL (see requestBytes in harness/trace/stats.ts).
   */
  readonly oversizedOps?: readonly number[];
  /** What was read as mdriver reads it (a missing size, lines past the op count), one line per kind, with file and line. */
  readonly warnings?: readonly string[];
}

/** 2002: `heap ids ops weight`; 2010: `weight ids ops unused`; 2016: `weight ids ops peak`. */
export type RepGeneration = '2002' | '2010' | '2016';

/** The C-like call an op makes, for messages and replay listings. */
export function describeOp(op: Op, ptrOf?: (id: number) => number | undefined): string {
  const p = (id: number): string => {
    const ptr = ptrOf?.(id);
    return ptr === undefined ? `b${id}` : `b${id}=${hex(ptr)}`;
  };
  switch (op.kind) {
    case 'a':
      return `b${op.id} = malloc(${op.size})`;
    case 'f':
      return op.id < 0 ? 'free(NULL)' : `free(${p(op.id)})`;
    case 'r':
      // With pointers known, a realloc of a block that is not live is realloc(NULL, n), as the repro listing says.
      if (ptrOf && ptrOf(op.id) === undefined) return `b${op.id} = realloc(NULL, ${op.size})`;
      return `b${op.id} = realloc(${p(op.id)}, ${op.size})`;
    case 'c':
      return `b${op.id} = calloc(${op.count}, ${op.size})`;
  }
}

/** The calls of a trace as C, with realloc of a block not yet allocated shown as realloc(NULL, n). */
export function describeCalls(ops: readonly Op[]): string[] {
  const live = new Set<number>();
  return ops.map((op) => {
    if (op.kind === 'f') {
      live.delete(op.id);
      return describeOp(op);
    }
    if (op.kind === 'r' && !live.has(op.id)) {
      live.add(op.id);
      return `b${op.id} = realloc(NULL, ${op.size})`;
    }
    live.add(op.id);
    return describeOp(op);
  });
}
