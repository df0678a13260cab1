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
import { applyOps } from '../replay/apply-ops.ts';

const SAMPLE_EVERY = 8;

/** A rule the timed run broke: the workload fails with it. */
export class TimedRunViolation extends Error {
  override name = 'TimedRunViolation';
}

export function replayTimed(instance: AllocatorInstance, ops: readonly Op[], alignment: number): void {
  const { heap } = instance;
  const sizes = new Map<number, number>();
  const marker = (id: number): number => (id * 131 + 7) & 255 || 1;
  // Whether the block realloc is moving carried a marker (set as it leaves, read where it lands).
  let movingHadMarker = false;
  applyOps(instance, ops, {
    placed(id, p, size, what) {
      if (p % alignment !== 0) throw new TimedRunViolation(`${what} returned 0x${p.toString(16)}, not ${alignment}-byte aligned (in the timed run)`);
      if (p < heap.base || p + size > heap.brk) throw new TimedRunViolation(`${what} returned a block [0x${p.toString(16)}, +${size}) outside the heap (in the timed run)`);
      if (size > 0 && id % SAMPLE_EVERY === 0) {
        heap.view(p, 1)[0] = marker(id);
        sizes.set(id, size);
      }
    },
    leaving(id, p, what) {
      movingHadMarker = sizes.has(id);
      if (!movingHadMarker) return;
      if (p !== 0 && heap.view(p, 1)[0] !== marker(id)) throw new TimedRunViolation(`block b${id} changed before ${what} (in the timed run)`);
      sizes.delete(id);
    },
    moved(id, p, _size, what) {
      // realloc keeps the first byte: the marker must have moved with the block.
      if (movingHadMarker && heap.view(p, 1)[0] !== marker(id)) throw new TimedRunViolation(`${what} lost the block's first byte (in the timed run)`);
    },
  });
}
