/**
 * Writes a trace as a `.rep` file in the 2002 (CS:APP handout) layout, one
 * header value per line:
 *
 *   <suggested heap size>   always > 3, so readers detect the 2002 layout
 *   <num_ids>
 *   <num_ops>
 *   <weight>
 *   a <id> <bytes> | r <id> <bytes> | f <id> | c <id> <count> <bytes>
 *
 * That is the layout DESIGN.md names and the one the classic mdriver reads;
 * files without `c`, `f -1` or realloc of unseen ids replay there unchanged.
 * No comments are written, since the CMU parsers reject them.
 */
import { traceStats } from './stats.ts';
import type { Op, Trace } from './types.ts';

export { traceStats, type TraceStats } from './stats.ts';

export function writeRep(trace: Trace): string {
  const ops = denseIds(trace.ops);
  const stats = traceStats(trace);
  const suggested =
    trace.suggestedHeap !== undefined && trace.suggestedHeap > 3 ? trace.suggestedHeap : Math.max(4, stats.peakPayload);
  const numIds = ops.reduce((m, op) => Math.max(m, op.id + 1), 0);
  const lines = [String(suggested), String(numIds), String(ops.length), String(trace.weight ?? 1)];
  for (const op of ops) lines.push(formatOp(op));
  return lines.join('\n') + '\n';
}

export function formatOp(op: Op): string {
  switch (op.kind) {
    case 'a':
    case 'r':
      return `${op.kind} ${op.id} ${op.size}`;
    case 'f':
      return `f ${op.id}`;
    case 'c':
      return `c ${op.id} ${op.count} ${op.size}`;
  }
}

/**
 * The header's num_ids must be max id + 1, so sparse ids (from a tracer or a
 * hand-edited file) are renumbered 0, 1, 2... in order of first appearance.
 * An id reused after its free keeps one number; -1 (free(NULL)) stays.
 */
export function denseIds(ops: readonly Op[]): readonly Op[] {
  const seen = new Set<number>();
  let maxId = -1;
  for (const op of ops) {
    if (op.id >= 0) seen.add(op.id);
    maxId = Math.max(maxId, op.id);
  }
  if (maxId + 1 === seen.size) return ops;
  const map = new Map<number, number>();
  return ops.map((op) => {
    if (op.id < 0) return op;
    let id = map.get(op.id);
    if (id === undefined) map.set(op.id, (id = map.size));
    return { ...op, id };
  });
}
