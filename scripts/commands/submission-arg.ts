import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../../harness/util/errors.ts';

/** The bundled example: graded only when asked for (`--example`), never in place of a missing submission. */
export const BUNDLED_EXAMPLE = fileURLToPath(new URL('../../student-template/ts/allocator.ts', import.meta.url));

const LOCAL_CANDIDATES = ['allocator.ts', 'mm.c', 'alloc.c', 'index.ts'];

export interface SubmissionArgOptions {
  /** How to name a submission on this command, for the message when nothing is found, e.g. `test path/to/allocator.ts`. */
  usage: string;
  /** `--example`: grade the bundled example allocator. */
  example?: boolean;
}

/**
 * The submission a command works on: the argument, else the student's own
 * file in the current folder (allocator.ts, mm.c, alloc.c, index.ts), else
 * the bundled example when asked for. Nothing found is a usage error (exit
 * 2) that says where it looked: testing the kit's own example instead would
 * report "all checks pass" for a folder with no allocator in it.
 */
export function resolveSubmissionArg(arg: string | undefined, options: SubmissionArgOptions): string {
  if (arg && options.example) throw new UsageError(`give a submission or --example, not both (got ${arg} and --example)`);
  if (arg) return arg;
  if (options.example) return BUNDLED_EXAMPLE;
  const local = localSubmission();
  if (local) return local;
  // Only test and grade have --example; the others can name a built-in instead.
  const command = options.usage.split(' ')[0];
  const other = 'example' in options ? `try the bundled example: \`heapgrade ${command} --example\`` : 'name a built-in allocator, e.g. ref:reference';
  throw new UsageError(
    `no submission found: looked for ${LOCAL_CANDIDATES.join(', ')} in ${process.cwd()}.\n` +
      `Name yours: \`heapgrade ${options.usage}\` (a .ts/.js/.c file, a folder, or ref:NAME),\n` +
      `or ${other}.`,
  );
}

/** The student's own file in the current folder (allocator.ts, mm.c, alloc.c, index.ts), if there is one. */
export function localSubmission(): string | undefined {
  return LOCAL_CANDIDATES.find((f) => existsSync(f));
}
