/**
 * Where the parent puts what a sandboxed child must reach as its own user
 * (`nobody`): the staged kit, its input copies, its compiled modules, its
 * scratch folder. Those are made readable (or owned by nobody), but a
 * folder above them that others cannot enter (TMPDIR inside a TA's
 * `mktemp -d` workspace, mode 0700) hides them all the same, and every
 * child would fail to start. So the temp folder is used when others can
 * reach it, else the first system temp folder they can; with none, grading
 * stops once, before it starts, with the fix.
 */
import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, parse, resolve } from 'node:path';
import { UsageError } from '../util/errors.ts';

const SYSTEM_TEMP = ['/tmp', '/var/tmp', '/dev/shm'];

/** True when a user with no rights of its own can enter `dir` (o+x on it and every folder above). */
export function reachableByOthers(dir: string): boolean {
  try {
    for (let d = resolve(dir); ; d = dirname(d)) {
      if (!(statSync(d).mode & 0o001)) return false;
      if (d === parse(d).root) return true;
    }
  } catch {
    return false;
  }
}

let chosen: string | undefined;

/** The folder staged files go under (see above); throws a UsageError naming TMPDIR and the fix when there is none. */
export function stageRoot(): string {
  if (chosen !== undefined) return chosen;
  const own = tmpdir();
  const found = [own, ...SYSTEM_TEMP].find((d) => isWritableDir(d) && reachableByOthers(d));
  if (found === undefined) {
    throw new UsageError(
      `the sandboxed children run as nobody, who cannot enter the temp folder ${own} (a folder above it is private, e.g. mode 0700) ` +
        `and no system temp folder (${SYSTEM_TEMP.join(', ')}) is usable. Set TMPDIR to a folder every user can enter (chmod o+x on it and its parents), or grade with --sandbox off.`,
    );
  }
  chosen = found;
  return found;
}

function isWritableDir(d: string): boolean {
  try {
    const st = statSync(d);
    // The grader is root wherever it can drop to nobody: a directory it owns or any directory will do.
    return st.isDirectory();
  } catch {
    return false;
  }
}

/** stageRoot(), or `fallback` where there is none (a caller that must not throw; the front end has already said why). */
export function stageRootOr(fallback: string): string {
  try {
    return stageRoot();
  } catch {
    return fallback;
  }
}
