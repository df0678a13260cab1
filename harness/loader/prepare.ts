/**
 * What a thread that dispatches work to workers prepares once for all of
 * them. Kept apart from load.ts so that such a thread (run-tests.ts, the
 * grade's workload lanes) imports neither SES nor the meter's parser: it
 * never evaluates the submission.
 */
import { readdir, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';
import type { ConfinedBundle } from '../confine/compartment.ts';

export const TS_EXTS = new Set(['.ts', '.mts', '.js', '.mjs']);
export const TS_ENTRIES = ['allocator.ts', 'index.ts', 'allocator.js', 'index.js', 'allocator.mjs', 'index.mjs'];

/**
 * The submission bundled once, in the thread that dispatches work, for the
 * workers it starts (`LoadOptions.bundle`): each would otherwise import
 * esbuild, start its service and bundle the same files. Undefined for what
 * is not confined TypeScript (the references, C, unconfined loads) and for a
 * spec that does not load: the workers then load it themselves and report
 * the failure as they always did.
 */
export async function preparedBundle(spec: string, options: { confine?: boolean } = {}): Promise<ConfinedBundle | undefined> {
  if (spec.startsWith('ref:') || options.confine === false) return undefined;
  const entry = await tsEntryOf(spec);
  if (entry === undefined) return undefined;
  const { bundleTsConfined } = await import('./bundle-ts.ts');
  try {
    return await bundleTsConfined(entry, spec);
  } catch {
    return undefined;
  }
}

/** The TypeScript entry file of a file or folder submission, or undefined (C, missing, not TypeScript). */
async function tsEntryOf(spec: string): Promise<string | undefined> {
  const path = resolve(spec);
  try {
    if ((await stat(path)).isDirectory()) {
      const names = await readdir(path);
      const entry = TS_ENTRIES.find((n) => names.includes(n));
      return entry === undefined ? undefined : join(path, entry);
    }
  } catch {
    return undefined;
  }
  return TS_EXTS.has(extname(path)) ? path : undefined;
}

