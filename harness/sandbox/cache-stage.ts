/**
 * The compile cache entries one sandboxed child reads, copied by the parent
 * into a folder of their own that the child sees read-only. The shared cache
 * is never bound into a child, so no child can write a neighbour's entry;
 * and each module is checked against the sha256 the compile process reported
 * for the bytes it holds, so an entry changed on disk since (by anything) is
 * refused rather than graded.
 */
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, lstatSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from '../wasm/cache.ts';
import { stageRoot } from './stage-root.ts';

export class PoisonedCacheError extends Error {}

/** A new folder with `<key>.wasm` and `<key>.json` of each module; throws PoisonedCacheError on a mismatch. */
export function stageCompiledModules(modules: readonly { key: string; sha256: string; meta: string }[]): string {
  const dir = mkdtempSync(join(stageRoot(), 'heapgrade-cache-stage-'));
  try {
    chmodSync(dir, 0o755);
    for (const m of modules) {
      const wasm = readFileSync(join(cacheDir(), `${m.key}.wasm`));
      const got = createHash('sha256').update(wasm).digest('hex');
      if (got !== m.sha256) {
        throw new PoisonedCacheError(
          `the compile cache entry ${m.key}.wasm in ${cacheDir()} is not what the compiler produced (sha256 ${got.slice(0, 12)}…, expected ${m.sha256.slice(0, 12)}…): refused. Delete that folder and grade again.`,
        );
      }
      writeFileSync(join(dir, `${m.key}.wasm`), wasm, { mode: 0o644 });
      // The metadata comes from the compile process's memory, not from the shared folder.
      writeFileSync(join(dir, `${m.key}.json`), m.meta, { mode: 0o644 });
    }
    return dir;
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/**
 * Copies of the child's own inputs (its submission, the configuration file)
 * that the sandbox user can read whatever the originals' permissions (a
 * mkdtemp folder is 0700, Gradescope's /autograder is root's): bound
 * read-only at the original paths, so reports and relative imports see the
 * same names.
 */
export function stageReadable(paths: readonly string[]): { dir: string; mapped: [string, string][] } {
  const dir = mkdtempSync(join(stageRoot(), 'heapgrade-input-stage-'));
  chmodSync(dir, 0o755);
  const mapped: [string, string][] = [];
  paths.forEach((p, i) => {
    const copy = join(dir, String(i));
    // Symbolic links inside a submission are copied as links, never followed: root following a student's
    // `x -> /etc/shadow` would hand the file to the sandbox. (Inside, such a link points at nothing.)
    cpSync(realpathSync(p), copy, { recursive: true, dereference: false, verbatimSymlinks: true });
    openUp(copy);
    mapped.push([copy, p]);
  });
  return { dir, mapped };
}

function openUp(p: string): void {
  const st = lstatSync(p);
  if (st.isSymbolicLink()) return; // chmod would follow it
  chmodSync(p, st.isDirectory() ? 0o755 : 0o644);
  if (st.isDirectory()) for (const n of readdirSync(p)) openUp(join(p, n));
}
