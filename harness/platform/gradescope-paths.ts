/**
 * Where `heapgrade gradescope` reads and writes. Inside Gradescope the
 * autograder tree is /autograder (submission/, source/, results/); on a TA's
 * laptop there is no such tree, so the defaults are the current folder's:
 * `./heapgrade.config.json` when present, results.json here, and the
 * submission must be named. `--root DIR` uses DIR as the autograder tree
 * (setup.sh and run_autograder pass it; tests point it at a temp folder).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const GRADESCOPE_ROOT = '/autograder';

export interface GradescopePaths {
  submission?: string;
  results: string;
  config?: string;
}

/** Gradescope's container: the autograder tree exists with its run_autograder in it. */
export function insideGradescope(root = GRADESCOPE_ROOT): boolean {
  return existsSync(join(root, 'run_autograder')) || existsSync(join(root, 'source', 'run_autograder'));
}

/** Default paths under an autograder tree `root`, or (no tree) in `cwd`. Explicit options override each. */
export function gradescopePaths(root: string | undefined, cwd = process.cwd()): GradescopePaths {
  const tree = root ?? (insideGradescope() ? GRADESCOPE_ROOT : undefined);
  if (tree !== undefined) {
    return {
      submission: join(tree, 'submission'),
      results: join(tree, 'results', 'results.json'),
      config: join(tree, 'source', 'heapgrade.config.json'),
    };
  }
  const local = resolve(cwd, 'heapgrade.config.json');
  return { results: resolve(cwd, 'results.json'), config: existsSync(local) ? local : undefined };
}
