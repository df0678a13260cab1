/**
 * A trace is a sequence of operations on block ids (malloclab .rep semantics,
 * plus `c` for calloc). Ids name blocks; the checker maps them to pointers.
 */
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
}

/** The C-like call an op makes, for messages and replay listings. */
export function describeOp(op: Op, ptrOf?: (id: number) => number | undefined): string {
  const p = (id: number): string => {
    const ptr = ptrOf?.(id);
    return ptr === undefined ? `b${id}` : `b${id}=0x${ptr.toString(16)}`;
  };
  switch (op.kind) {
    case 'a':
      return `b${op.id} = malloc(${op.size})`;
    case 'f':
      return op.id < 0 ? 'free(NULL)' : `free(${p(op.id)})`;
    case 'r':
      return `b${op.id} = realloc(${p(op.id)}, ${op.size})`;
    case 'c':
      return `b${op.id} = calloc(${op.count}, ${op.size})`;
  }
}
