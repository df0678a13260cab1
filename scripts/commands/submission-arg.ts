import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The bundled example: what `heapgrade test` grades when there is nothing else. */
export const BUNDLED_EXAMPLE = fileURLToPath(new URL('../../student-template/ts/allocator.ts', import.meta.url));

const LOCAL_CANDIDATES = ['allocator.ts', 'mm.c', 'alloc.c', 'index.ts'];

/**
 * The submission a command works on: the argument, else the student's own
 * file in the current folder (allocator.ts, mm.c, alloc.c), else the bundled example.
 */
export function resolveSubmissionArg(arg: string | undefined): string {
  if (arg) return arg;
  const local = LOCAL_CANDIDATES.find((f) => existsSync(f));
  return local ?? BUNDLED_EXAMPLE;
}
