/**
 * The compile cache: files stored under a key that hashes everything the
 * output depends on (sources, flags, kit runtime, compiler version), on disk
 * so that a batch or a second run skips the compiler, and in memory.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../util/atomic-write.ts';
import os from 'node:os';
import path from 'node:path';

/** Where compiled modules live: $HEAPGRADE_CACHE_DIR, or heapgrade-cache in the OS temp folder. */
export function cacheDir(): string {
  return process.env['HEAPGRADE_CACHE_DIR'] ?? path.join(os.tmpdir(), 'heapgrade-cache');
}

export function hashKey(parts: readonly (string | Uint8Array)[]): string {
  const h = createHash('sha256');
  for (const p of parts) {
    // Length-prefix each part so that ('ab','c') and ('a','bc') differ.
    const bytes = typeof p === 'string' ? Buffer.from(p, 'utf8') : p;
    h.update(`${bytes.length}:`);
    h.update(bytes);
  }
  return h.digest('hex').slice(0, 32);
}

/** The cached files of `key`, or null when any is missing (or the cache is unreadable). */
export async function readCache(key: string, names: readonly string[]): Promise<Record<string, Uint8Array> | null> {
  const out: Record<string, Uint8Array> = {};
  try {
    for (const n of names) out[n] = new Uint8Array(await readFile(path.join(cacheDir(), `${key}.${n}`)));
  } catch {
    return null;
  }
  return out;
}

/** Stores files under `key`; a write that fails (read-only disk) only costs a recompile later. */
export async function writeCache(key: string, files: Record<string, Uint8Array>): Promise<void> {
  try {
    // A concurrent reader never sees half a file.
    for (const [n, data] of Object.entries(files)) await writeFileAtomic(path.join(cacheDir(), `${key}.${n}`), data);
  } catch {
    // caching is an optimisation
  }
}
