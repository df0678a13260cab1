/**
 * Live blocks by trace id. Trace ids are small dense integers, so an array
 * serves lookups (a Map lookup per operation costs more than the allocator's
 * own work for small blocks); anything else (leaked blocks' negative ids,
 * huge ids) goes to a Map. A compact list of the live blocks (swap-remove,
 * each block knows its slot) makes a sweep cost the live blocks, not every id
 * the trace ever used.
 */
const DENSE_LIMIT = 1 << 22;

export interface Slotted {
  /** Position in the live list, maintained by the table. */
  slot: number;
}

export class BlockTable<T extends Slotted> {
  private readonly dense: (T | undefined)[] = [];
  private readonly sparse = new Map<number, T>();
  private readonly live: T[] = [];

  get size(): number {
    return this.live.length;
  }

  get(id: number): T | undefined {
    return id >= 0 && id < DENSE_LIMIT ? this.dense[id] : this.sparse.get(id);
  }

  set(id: number, value: T): void {
    this.delete(id);
    if (id >= 0 && id < DENSE_LIMIT) {
      // Fill the gap so the array stays packed rather than turning into a dictionary.
      while (this.dense.length < id) this.dense.push(undefined);
      this.dense[id] = value;
    } else this.sparse.set(id, value);
    value.slot = this.live.length;
    this.live.push(value);
  }

  delete(id: number): void {
    let old: T | undefined;
    if (id >= 0 && id < DENSE_LIMIT) {
      old = this.dense[id];
      if (old !== undefined) this.dense[id] = undefined;
    } else {
      old = this.sparse.get(id);
      if (old !== undefined) this.sparse.delete(id);
    }
    if (old === undefined) return;
    const last = this.live.pop()!;
    if (last !== old) {
      this.live[old.slot] = last;
      last.slot = old.slot;
    }
  }

  /** The live blocks, in no particular order (a snapshot: safe to modify the table while iterating). */
  values(): readonly T[] {
    return this.live.slice();
  }
}
