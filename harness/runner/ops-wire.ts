/**
 * A trace's operations as one Float64Array, to post to a worker by
 * transfer: a structured clone of tens of thousands of op objects costs the
 * sending thread its serialization and the worker its deserialization
 * (about a tenth of a C grade's CPU with both lanes); the packed copy is one
 * memcpy-like loop each way. Four numbers an op: kind (char code), id, size,
 * count. Every field is an integer below 2^53 (sizes past 32 bits included:
 * a 2016 trace asks for 36 GB), so a float64 holds it exactly.
 */
import type { Op } from '../trace/types.ts';

const A = 'a'.charCodeAt(0);
const F = 'f'.charCodeAt(0);
const R = 'r'.charCodeAt(0);
const C = 'c'.charCodeAt(0);

/** The ops, packed; post it with its buffer in the transfer list. */
export function packOps(ops: readonly Op[]): Float64Array {
  const words = new Float64Array(ops.length * 4);
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    const at = i * 4;
    words[at] = op.kind.charCodeAt(0);
    words[at + 1] = op.id;
    if (op.kind !== 'f') words[at + 2] = op.size;
    if (op.kind === 'c') words[at + 3] = op.count;
  }
  return words;
}

/** The ops again, as packOps got them (each kind with the fields, in the order, the trace parser gives it). */
export function unpackOps(packed: Float64Array): Op[] {
  if (packed.length % 4 !== 0) throw new Error(`ops wire: ${packed.length} words is not 4 per op`);
  const ops: Op[] = new Array(packed.length / 4);
  for (let i = 0, at = 0; at < packed.length; i++, at += 4) {
    const kind = packed[at]!;
    const id = packed[at + 1]!;
    if (kind === A) ops[i] = { kind: 'a', id, size: packed[at + 2]! };
    else if (kind === F) ops[i] = { kind: 'f', id };
    else if (kind === R) ops[i] = { kind: 'r', id, size: packed[at + 2]! };
    else if (kind === C) ops[i] = { kind: 'c', id, count: packed[at + 3]!, size: packed[at + 2]! };
    else throw new Error(`ops wire: op ${i} has kind code ${kind}`);
  }
  return ops;
}
