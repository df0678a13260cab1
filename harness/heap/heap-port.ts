import type { Heap } from '../contract/types.ts';
import type { SimHeap } from './sim-heap.ts';

/**
 * The object an allocator receives: only the contract's methods, as
 * closures, so the allocator cannot reach the checker's raw view, the fault
 * record or the counters through a property.
 */
export function createHeapPort(sim: SimHeap): Heap {
  const port: Heap = {
    base: sim.base,
    get brk() {
      return sim.brk;
    },
    sbrk: (n) => sim.sbrk(n),
    load8: (a) => sim.load8(a),
    load16: (a) => sim.load16(a),
    load32: (a) => sim.load32(a),
    store8: (a, v) => sim.store8(a, v),
    store16: (a, v) => sim.store16(a, v),
    store32: (a, v) => sim.store32(a, v),
    copy: (d, s, n) => sim.copy(d, s, n),
    fill: (d, b, n) => sim.fill(d, b, n),
  };
  return Object.freeze(port);
}
