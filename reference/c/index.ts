/**
 * The kit's built-in C allocators (`ref:reference-c`, `ref:dlmalloc`),
 * compiled to WebAssembly like a submission. dlmalloc has no source file:
 * it is wasi-libc's, taken from the libc.a inside @yowasp/clang, so load it
 * with `load()` (or harness/wasm/load.ts loadDlmalloc), not from `files`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCSubmission, loadDlmalloc, type LoadCOptions, type LoadedC } from '../../harness/wasm/load.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));

export interface CReferenceAllocator {
  readonly name: 'reference-c' | 'dlmalloc';
  /** One line for `heapgrade list`. */
  readonly description: string;
  readonly language: 'c';
  /** Source files (absolute); empty for dlmalloc, which comes from wasi-libc's libc.a. */
  readonly files: string[];
  /** Compiles (cached) and loads it; `spec` defaults to `ref:NAME`. */
  load(options?: LoadCOptions): Promise<LoadedC>;
}

export const C_REFERENCE_ALLOCATORS: readonly CReferenceAllocator[] = [
  {
    name: 'reference-c',
    description: 'the reference in C (malloclab style): segregated lists, 4-byte boundary tags, coalescing, realloc in place',
    language: 'c',
    files: [path.join(HERE, 'reference.c')],
    load: (options = {}) => loadCSubmission(path.join(HERE, 'reference.c'), { spec: 'ref:reference-c', ...options }),
  },
  {
    name: 'dlmalloc',
    description: "Doug Lea's malloc as shipped in wasi-libc (what a C program gets by default), on the kit's sbrk",
    language: 'c',
    files: [],
    load: (options = {}) => loadDlmalloc({ spec: 'ref:dlmalloc', ...options }),
  },
];
