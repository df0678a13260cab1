/**
 * The kit's built-in TypeScript allocators, by the names the CLI accepts as
 * `ref:NAME` (DESIGN.md "Built-in allocators"). C allocators are registered
 * by the wasm loader, not here.
 */
import { fileURLToPath } from 'node:url';
import type { AllocatorFactory } from '../harness/contract/types.ts';
import { kitModule } from '../harness/util/kit-entry.ts';
import { createAllocator as naive } from './naive.ts';
import { createAllocator as bestFit } from './placement/best-fit.ts';
import { createAllocator as firstFit } from './placement/first-fit.ts';
import { createAllocator as nextFit } from './placement/next-fit.ts';
import { createAllocator as worstFit } from './placement/worst-fit.ts';
import { createAllocator as reference } from './reference.ts';

// The file the loader bundles: the TypeScript here, the compiled .js beside it in the installed kit (dist/ has no .ts).
const src = (rel: string): string => fileURLToPath(kitModule(new URL(rel, import.meta.url)));

export interface ReferenceAllocator {
  readonly name: string;
  /** One line for `heapgrade list`. */
  readonly description: string;
  readonly language: 'ts';
  readonly factory: AllocatorFactory;
  /** Its source file: the loader bundles and confines it exactly like a submission. */
  readonly file: string;
}

export const REFERENCE_ALLOCATORS: readonly ReferenceAllocator[] = [
  {
    name: 'reference',
    description: 'segregated free lists, boundary tags without footers on allocated blocks, coalescing, realloc in place (the bar)',
    language: 'ts',
    factory: reference,
    file: src('./reference.ts'),
  },
  { name: 'naive', description: 'sbrk on every malloc, free does nothing (the seed: correct but wasteful)', language: 'ts', factory: naive, file: src('./naive.ts') },
  { name: 'first-fit', description: 'explicit free list, first block that fits', language: 'ts', factory: firstFit, file: src('./placement/first-fit.ts') },
  { name: 'next-fit', description: 'explicit free list, search resumes where the last one stopped', language: 'ts', factory: nextFit, file: src('./placement/next-fit.ts') },
  { name: 'best-fit', description: 'explicit free list, smallest block that fits', language: 'ts', factory: bestFit, file: src('./placement/best-fit.ts') },
  { name: 'worst-fit', description: 'explicit free list, largest block', language: 'ts', factory: worstFit, file: src('./placement/worst-fit.ts') },
];

/** The built-in allocator called `name` (without the `ref:` prefix), or undefined. */
export function findReference(name: string): ReferenceAllocator | undefined {
  return REFERENCE_ALLOCATORS.find((r) => r.name === name);
}
