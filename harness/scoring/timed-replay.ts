/**
 * The replay the wall-clock speed option times (`"speed": "wallclock"`). A
 * timed run that skipped every check would be a run in which cheating is
 * free (behave in the checked run, cut corners in the timed one), so the
 * structural rules are checked here too, cheaply enough to time: every
 * returned pointer aligned and inside [base, brk), and a sampled payload
 * check (one block in SAMPLE_EVERY gets a marker byte that must survive until
 * it is freed; an overlapping block or a corrupting allocator overwrites it).
 * Both sides of the comparison pay the same.
 */
import type { AllocatorInstance } from '../contract/instance.ts';
import type { Op } from '../trace/types.ts';

const SAMPLE_EVERY = 8;

/** A rule the timed run broke: the workload fails with it. */
export class TimedRunViolation extends Error {
  override name = 'TimedRunViolation';
}

export function replayTimed(instance: AllocatorInstance, ops: readonly Op[], alignment: number): void {
  const { allocator, heap } = instance;
  const ptrs = new Map<number, number>();
  const sizes = new Map<number, number>();
  const marker = (id: number): number => (id * 131 + 7) & 255 || 1;
  const placed = (id: number, p: number, size: number, what: string): void => {
    if (p === 0) return;
    if (p % alignment !== 0) throw new TimedRunViolation(`${what} returned 0x${p.toString(16)}, not ${alignment}-byte aligned (in the timed run)`);
    if (p < heap.base || p + size > heap.brk) throw new TimedRunViolation(`${what} returned a block [0x${p.toString(16)}, +${size}) outside the heap (in the timed run)`);
    if (size > 0 && id % SAMPLE_EVERY === 0) {
      heap.view(p, 1)[0] = marker(id);
      sizes.set(id, size);
    }
  };
  const intact = (id: number, what: string): void => {
    if (!sizes.has(id)) return;
    const p = ptrs.get(id) ?? 0;
    if (p !== 0 && heap.view(p, 1)[0] !== marker(id)) throw new TimedRunViolation(`block b${id} changed before ${what} (in the timed run)`);
    sizes.delete(id);
  };
  for (const op of ops) {
    switch (op.kind) {
      case 'a': {
        const p = allocator.malloc(op.size);
        ptrs.set(op.id, p);
        placed(op.id, p, op.size, `malloc(${op.size})`);
        break;
      }
      case 'c': {
        const p = allocator.calloc(op.count, op.size);
        ptrs.set(op.id, p);
        placed(op.id, p, op.count * op.size, `calloc(${op.count}, ${op.size})`);
        break;
      }
      case 'f':
        intact(op.id, `free(b${op.id})`);
        allocator.free(ptrs.get(op.id) ?? 0);
        ptrs.delete(op.id);
        break;
      case 'r': {
        const old = ptrs.get(op.id) ?? 0;
        const had = sizes.has(op.id);
        intact(op.id, `realloc(b${op.id})`);
        const p = allocator.realloc(old, op.size);
        if (p === 0 && op.size > 0) break; // failed: the old block stays
        if (p === 0) {
          ptrs.delete(op.id);
          break;
        }
        ptrs.set(op.id, p);
        // realloc keeps the first byte: the marker must have moved with the block.
        if (had && op.size > 0 && heap.view(p, 1)[0] !== marker(op.id)) throw new TimedRunViolation(`realloc(b${op.id}, ${op.size}) lost the block's first byte (in the timed run)`);
        placed(op.id, p, op.size, `realloc(b${op.id}, ${op.size})`);
        break;
      }
    }
  }
}
