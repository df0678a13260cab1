/**
 * Replays a trace under the checker up to one operation and takes a heap
 * snapshot there (`heapgrade show --at N`), or at the violation if one
 * comes first.
 */
import { resolveCheckerOptions, type CheckerOptions } from '../checker/options.ts';
import type { Violation } from '../checker/violation.ts';
import type { AllocatorInstance, LoadedSubmission } from '../contract/instance.ts';
import { DEFAULT_HEAP_LIMIT } from '../heap/sim-heap.ts';
import type { HeapSnapshot } from '../heap-map/types.ts';
import { replayLoop } from '../replay/replay.ts';
import { describeOp, type Op } from '../trace/types.ts';
import { UsageError } from '../util/errors.ts';
import type { HeapFocus } from '../heap-map/focus.ts';
import { hex } from '../util/format.ts';

export interface ReplayTarget {
  /** Heap seed (chooses the base address). @default 1 */
  seed?: number;
  /** Heap limit in bytes. @default 64 MiB */
  limit?: number;
  checker?: Partial<CheckerOptions>;
}

export interface SnapshotOptions extends ReplayTarget {
  /** Operations kept in `snapshot.recent`. @default 8 */
  recent?: number;
}

export interface SnapshotAt {
  snapshot: HeapSnapshot;
  /** The violation that stopped the replay at or before op n, or null. */
  violation: Violation | null;
  /** Index of the last operation applied (n, or the violating one). */
  op: number;
  /** The block operation n touched (allocated, moved or freed), when no violation came first. */
  focus?: HeapFocus;
}

/** Gets an instance from a loaded submission, or uses the one given (its heap must be fresh). */
export function instanceOf(source: LoadedSubmission | AllocatorInstance, target: ReplayTarget): AllocatorInstance {
  if ('instantiate' in source) return source.instantiate({ seed: target.seed ?? 1, limit: target.limit ?? DEFAULT_HEAP_LIMIT });
  return source;
}

export function snapshotAt(source: LoadedSubmission | AllocatorInstance, ops: readonly Op[], n: number, options: SnapshotOptions = {}): SnapshotAt {
  if (!Number.isInteger(n) || n < 0 || n >= ops.length) {
    throw new UsageError(`Expected the operation index to be an integer from 0 to ${ops.length - 1} (the trace has ${ops.length} operations), got ${n}`);
  }
  const keep = options.recent ?? 8;
  const recent: string[] = [];
  let focus: HeapFocus | undefined;
  let call = '';
  let freed: { ptr: number; size: number } | undefined;
  let last = 0;
  const { violation, checker, heap } = replayLoop(instanceOf(source, options), ops, {
    checker: resolveCheckerOptions(options.checker),
    upTo: n + 1,
    finish: false,
    observers: [
      {
        before(op, i, c) {
          last = i;
          freed = i === n && op.kind === 'f' ? c.liveBlocks().find((b) => b.id === op.id) : undefined;
          call = describeOp(op, (id) => c.ptrOf(id));
        },
        violated(op, i, v) {
          const returned = op && op.kind !== 'f' && v.ptr !== undefined ? ` -> ${hex(v.ptr)}` : '';
          recent.push(`#${i} ${v.call ?? call}${returned}`);
        },
        after(op, i, c) {
          const ptr = op.kind === 'f' ? undefined : c.ptrOf(op.id);
          recent.push(`#${i} ${call}${op.kind === 'f' ? '' : ` -> ${ptr === undefined ? 'NULL' : hex(ptr)}`}`);
          if (recent.length > keep) recent.shift();
          if (i === n) focus = focusOf(op, ptr, freed, call);
        },
      },
    ],
  });
  if (recent.length > keep) recent.shift();
  const snapshot: HeapSnapshot = { base: heap.base, brk: heap.brk, blocks: checker.liveBlocks(), recent };
  return { snapshot, violation, op: Math.min(last, n), ...(focus ? { focus } : {}) };
}

function focusOf(op: Op, ptr: number | undefined, freed: { ptr: number; size: number } | undefined, call: string): HeapFocus | undefined {
  if (op.kind === 'f') return freed ? { ptr: freed.ptr, size: freed.size, label: `${call}: freed here` } : undefined;
  if (ptr === undefined) return undefined;
  const size = op.kind === 'c' ? op.count * op.size : op.size;
  return { ptr, size, blockId: op.id, label: call };
}
