/**
 * The kit's built-in TypeScript allocators, by the names the CLI accepts as
 * `ref:NAME` (DESIGN.md "Built-in allocators"). C allocators are registered
 * by the wasm loader, not here.
 */
import type { AllocatorFactory } from '../harness/contract/types.ts';
import { createAllocator as naive } from './naive.ts';
import { createAllocator as bestFit } from './placement/best-fit.ts';
import { createAllocator as firstFit } from './placement/first-fit.ts';
import { createAllocator as nextFit } from './placement/next-fit.ts';
import { createAllocator as worstFit } from './placement/worst-fit.ts';
import { createAllocator as reference } from './reference.ts';

export interface ReferenceAllocator {
  readonly name: string;
  /** One line for `heapgrade list`. */
  readonly description: string;
  readonly language: 'ts';
  readonly factory: AllocatorFactory;
}

export const REFERENCE_ALLOCATORS: readonly ReferenceAllocator[] = [
  {
    name: 'reference',
    description: 'segregated free lists, boundary tags without footers on allocated blocks, coalescing, realloc in place (the bar)',
    language: 'ts',
    factory: reference,
  },
  { name: 'naive', description: 'sbrk on every malloc, free does nothing (the seed: correct but wasteful)', language: 'ts', factory: naive },
  { name: 'first-fit', description: 'explicit free list, first block that fits', language: 'ts', factory: firstFit },
  { name: 'next-fit', description: 'explicit free list, search resumes where the last one stopped', language: 'ts', factory: nextFit },
  { name: 'best-fit', description: 'explicit free list, smallest block that fits', language: 'ts', factory: bestFit },
  { name: 'worst-fit', description: 'explicit free list, largest block', language: 'ts', factory: worstFit },
];

/** The built-in allocator called `name` (without the `ref:` prefix), or undefined. */
export function findReference(name: string): ReferenceAllocator | undefined {
  return REFERENCE_ALLOCATORS.find((r) => r.name === name);
}
