/**
 * The unchecked replay: a trace's calls applied to an allocator with only an
 * id -> pointer map, the one loop behind every run that is not the checker's
 * (replayRaw: the reference's metered cost; replayTimed: the wall-clock speed
 * option's timed runs). What a caller checks on top comes in as hooks, so
 * the order of calls, the realloc rules and the NULL bookkeeping are written
 * once. The checked replay is replayLoop (replay.ts), where the checker
 * applies each call itself.
 */
import type { AllocatorInstance } from '../contract/instance.ts';
import type { Op } from '../trace/types.ts';

export interface ApplyHooks {
  /** A call returned block `id` at `p` (never 0) for `size` bytes; `what` names the call. */
  placed?(id: number, p: number, size: number, what: string): void;
  /** Block `id` (at `p`, possibly 0) is about to be freed or reallocated. */
  leaving?(id: number, p: number, what: string): void;
  /** realloc gave block `id` a new place `p` (never 0, size > 0): called before `placed`. */
  moved?(id: number, p: number, size: number, what: string): void;
}

/** Applies `ops`; returns how many allocating calls returned NULL (a failed realloc keeps its block). */
export function applyOps(instance: AllocatorInstance, ops: readonly Op[], hooks?: ApplyHooks): { nullCount: number } {
  const { allocator } = instance;
  const ptrs = new Map<number, number>();
  let nullCount = 0;
  for (const op of ops) {
    switch (op.kind) {
      case 'a': {
        const p = allocator.malloc(op.size);
        ptrs.set(op.id, p);
        if (p === 0) nullCount++;
        else hooks?.placed?.(op.id, p, op.size, `malloc(${op.size})`);
        break;
      }
      case 'c': {
        const p = allocator.calloc(op.count, op.size);
        ptrs.set(op.id, p);
        if (p === 0) nullCount++;
        else hooks?.placed?.(op.id, p, op.count * op.size, `calloc(${op.count}, ${op.size})`);
        break;
      }
      case 'f':
        hooks?.leaving?.(op.id, ptrs.get(op.id) ?? 0, `free(b${op.id})`);
        allocator.free(ptrs.get(op.id) ?? 0);
        ptrs.delete(op.id);
        break;
      case 'r': {
        const old = ptrs.get(op.id) ?? 0;
        hooks?.leaving?.(op.id, old, `realloc(b${op.id})`);
        const p = allocator.realloc(old, op.size);
        if (p === 0) {
          // realloc(p, 0) may free and return NULL; any other NULL is a failure that keeps the old block.
          if (op.size > 0) nullCount++;
          else ptrs.delete(op.id);
          break;
        }
        ptrs.set(op.id, p);
        if (hooks) {
          const what = `realloc(b${op.id}, ${op.size})`;
          if (op.size > 0) hooks.moved?.(op.id, p, op.size, what);
          hooks.placed?.(op.id, p, op.size, what);
        }
        break;
      }
    }
  }
  return { nullCount };
}
