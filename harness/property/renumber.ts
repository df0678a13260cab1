import type { Op } from '../trace/types.ts';

/**
 * Renumbers block ids 0, 1, 2... in order of first appearance (free(NULL)'s
 * -1 stays), so a shrunk trace reads `b0, b1, b2` rather than `b17, b40`.
 * The meaning of the trace does not change: only the names do.
 */
export function renumberIds(ops: readonly Op[]): Op[] {
  const map = new Map<number, number>();
  const idOf = (id: number): number => {
    if (id < 0) return id;
    let n = map.get(id);
    if (n === undefined) map.set(id, (n = map.size));
    return n;
  };
  return ops.map((op) => ({ ...op, id: idOf(op.id) }));
}
