/**
 * Builds a trace by calling malloc/calloc/realloc/free on block ids, the way
 * a program would, so the generators read like the programs they imitate.
 * Freed ids are reused (last freed, first reused), as malloclab traces may.
 */
import type { Op, Trace } from '../../harness/trace/types.ts';
import { writeRep } from '../../harness/trace/write.ts';

export class TraceBuilder {
  private readonly ops: Op[] = [];
  private readonly freeIds: number[] = [];
  private nextId = 0;
  /** Requested bytes of each live id. */
  private readonly live = new Map<number, number>();

  constructor(readonly name: string) {}

  get length(): number {
    return this.ops.length;
  }

  get liveCount(): number {
    return this.live.size;
  }

  sizeOf(id: number): number {
    const size = this.live.get(id);
    if (size === undefined) throw new Error(`${this.name}: block ${id} is not live`);
    return size;
  }

  malloc(size: number): number {
    const id = this.takeId();
    this.ops.push({ kind: 'a', id, size });
    this.live.set(id, size);
    return id;
  }

  calloc(count: number, size: number): number {
    const id = this.takeId();
    this.ops.push({ kind: 'c', id, count, size });
    this.live.set(id, count * size);
    return id;
  }

  realloc(id: number, size: number): void {
    this.sizeOf(id);
    this.ops.push({ kind: 'r', id, size });
    this.live.set(id, size);
  }

  free(id: number): void {
    this.sizeOf(id);
    this.ops.push({ kind: 'f', id });
    this.live.delete(id);
    this.freeIds.push(id);
  }

  /** Frees every live block, in id order, so a trace ends with an empty heap. */
  freeAll(): void {
    for (const id of [...this.live.keys()].sort((a, b) => a - b)) this.free(id);
  }

  trace(weight = 1): Trace {
    return { name: this.name, ops: this.ops, weight };
  }

  rep(weight = 1): string {
    return writeRep(this.trace(weight));
  }

  private takeId(): number {
    return this.freeIds.pop() ?? this.nextId++;
  }
}

/** Log-uniform integer in [lo, hi]: small sizes common, large ones rare, like real programs. */
export function logUniform(rng: () => number, lo: number, hi: number): number {
  return Math.min(hi, Math.floor(Math.exp(Math.log(lo) + rng() * (Math.log(hi + 1) - Math.log(lo)))));
}

/** Removes and returns a random element. */
export function takeRandom<T>(rng: () => number, items: T[]): T {
  const i = Math.floor(rng() * items.length);
  const item = items[i]!;
  items[i] = items[items.length - 1]!;
  items.pop();
  return item;
}
