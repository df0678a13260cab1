/**
 * Live blocks by trace id. Trace ids are small dense integers, so an array
 * serves them (a Map lookup per operation costs more than the allocator's own
 * work for small blocks); anything else (leaked blocks' negative ids, huge
 * ids) goes to a Map.
 */
const DENSE_LIMIT = 1 << 22;

export class BlockTable<T> {
  private readonly dense: (T | undefined)[] = [];
  private readonly sparse = new Map<number, T>();
  private live = 0;

  get size(): number {
    return this.live;
  }

  get(id: number): T | undefined {
    return id >= 0 && id < DENSE_LIMIT ? this.dense[id] : this.sparse.get(id);
  }

  set(id: number, value: T): void {
    if (id >= 0 && id < DENSE_LIMIT) {
      // Fill the gap so the array stays packed rather than turning into a dictionary.
      while (this.dense.length < id) this.dense.push(undefined);
      if (this.dense[id] === undefined) this.live++;
      this.dense[id] = value;
    } else {
      if (!this.sparse.has(id)) this.live++;
      this.sparse.set(id, value);
    }
  }

  delete(id: number): void {
    if (id >= 0 && id < DENSE_LIMIT) {
      if (this.dense[id] !== undefined) this.live--;
      this.dense[id] = undefined;
    } else if (this.sparse.delete(id)) this.live--;
  }

  *values(): IterableIterator<T> {
    for (const v of this.dense) if (v !== undefined) yield v;
    yield* this.sparse.values();
  }
}
