/**
 * The allocator contract of DESIGN.md. Fixed: graders outside this repo rely on it.
 */

/** A byte address in the simulated heap; 0 is NULL. */
export type Ptr = number;

export interface Heap {
  /** First address of the heap: non-zero, 4096-aligned, may differ between runs. */
  readonly base: Ptr;
  /** Current break: one past the last heap byte. */
  readonly brk: Ptr;
  /** Old break, or -1 (heap unchanged) past the heap limit; sbrk(0) queries. */
  sbrk(increment: number): Ptr | -1;
  load8(a: Ptr): number;
  load16(a: Ptr): number;
  load32(a: Ptr): number;
  store8(a: Ptr, v: number): void;
  store16(a: Ptr, v: number): void;
  store32(a: Ptr, v: number): void;
  /** memmove */
  copy(dst: Ptr, src: Ptr, n: number): void;
  /** memset */
  fill(dst: Ptr, byte: number, n: number): void;
}

export interface Allocator {
  malloc(size: number): Ptr;
  free(ptr: Ptr): void;
  calloc(count: number, size: number): Ptr;
  realloc(ptr: Ptr, size: number): Ptr;
  /** Optional heap checker (like mm_checkheap): [] when consistent. */
  check?(): string[];
}

export type AllocatorFactory = (heap: Heap) => Allocator;

/** The largest size a 32-bit size_t can express. */
export const SIZE_MAX = 0xffff_ffff;
