import type { CheckerOptions } from './options.ts';
import type { ViolationKind } from './violation.ts';
import type { Op } from '../trace/types.ts';

export interface CheckContext {
  seed: number;
  /** Heap limit the check runs with. */
  limit: number;
  alignment: 8 | 16;
}

/** A named correctness check: one definition serves the CLI, the vitest adapter and the batch grader. */
export interface CorrectnessCheck {
  name: string;
  /** One sentence: what it exercises. */
  description: string;
  /** Default points (the assignment configuration may change them). */
  points: number;
  /** The rules this check sets out to break. */
  targets: readonly ViolationKind[];
  /** Heap limit for this check, when it must differ from the configured one. */
  limit?: number;
  /** Checker options this check forces (e.g. sweeping after every op). */
  checker?: Partial<CheckerOptions>;
  /**
   * 'trace' checks replay build(); 'off-heap' measures the allocator's own JS
   * memory; 'property' searches random traces (fast-check) for any violation.
   */
  type: 'trace' | 'off-heap' | 'property';
  build?(ctx: CheckContext): Op[];
}

/** Accumulates ops with fresh ids. */
export class TraceBuilder {
  readonly ops: Op[] = [];
  private nextId = 0;
  malloc(size: number): number {
    const id = this.nextId++;
    this.ops.push({ kind: 'a', id, size });
    return id;
  }
  calloc(count: number, size: number): number {
    const id = this.nextId++;
    this.ops.push({ kind: 'c', id, count, size });
    return id;
  }
  free(id: number): void {
    this.ops.push({ kind: 'f', id });
  }
  realloc(id: number, size: number): number {
    this.ops.push({ kind: 'r', id, size });
    return id;
  }
  /** realloc(NULL, size) on a fresh id. */
  reallocNull(size: number): number {
    const id = this.nextId++;
    this.ops.push({ kind: 'r', id, size });
    return id;
  }
}
