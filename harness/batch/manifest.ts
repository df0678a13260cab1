/**
 * `<out>/batch.json`: what an output folder holds and how it was made: the
 * kit version, the mode, a hash of the configuration, the shard(s) graded
 * into it and the ids they cover. `--resume` with another `--shard` adds to
 * it (never drops rows); `heapgrade merge` reads it to refuse shards that do
 * not belong together (another configuration, kit version, shard count or
 * course roster) or that overlap.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../util/errors.ts';
import { kitVersion } from '../util/kit-root.ts';
import type { Shard } from './shard.ts';

export const MANIFEST_FILE = 'batch.json';
export const MANIFEST_VERSION = 1;

export interface BatchManifest {
  manifest: typeof MANIFEST_VERSION;
  kitVersion: string;
  mode: string;
  /** sha256 of the configuration file's bytes, or null for the kit defaults. */
  configHash: string | null;
  /** sha256 of the sorted ids of the whole batch folder (every shard's), so shards of different rosters do not merge. */
  rosterHash: string;
  /** Submissions in the whole batch folder. */
  rosterSize: number;
  /** null: the whole folder; otherwise the shard count and the shards graded into this folder. */
  shard: { count: number; indices: number[] } | null;
  /** The ids this folder is responsible for (its shards'), sorted. */
  ids: string[];
}

/** The kit's package.json version: shards graded by different kits may grade by different rules. */
export const currentKitVersion = kitVersion;

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

export function configHash(configPath: string | undefined): string | null {
  return configPath === undefined ? null : sha256(readFileSync(configPath));
}

export function rosterHash(ids: readonly string[]): string {
  return sha256([...ids].sort().join('\n'));
}

export function readManifest(out: string): BatchManifest | undefined {
  const path = join(out, MANIFEST_FILE);
  if (!existsSync(path)) return undefined;
  let m: BatchManifest;
  try {
    m = JSON.parse(readFileSync(path, 'utf8')) as BatchManifest;
  } catch (e) {
    throw new UsageError(`${path}: not valid JSON (${(e as Error).message}); was it edited? Re-grade into a new --out folder.`);
  }
  if (m.manifest !== MANIFEST_VERSION) throw new UsageError(`${path}: written by another heapgrade (manifest version ${String(m.manifest)}, this kit reads ${MANIFEST_VERSION})`);
  return m;
}

export interface ManifestInput {
  mode: string;
  configPath: string | undefined;
  /** Every id of the batch folder, sorted. */
  roster: readonly string[];
  shard: Shard | undefined;
  /** The ids of this run's shard. */
  ids: readonly string[];
}

/**
 * The manifest after this run: a new one, or the folder's existing one with
 * this shard added. Refuses a run whose shard count, roster, kit or
 * configuration differs from what the folder already holds.
 */
export function nextManifest(out: string, input: ManifestInput): BatchManifest {
  const fresh: BatchManifest = {
    manifest: MANIFEST_VERSION,
    kitVersion: currentKitVersion(),
    mode: input.mode,
    configHash: configHash(input.configPath),
    rosterHash: rosterHash(input.roster),
    rosterSize: input.roster.length,
    shard: input.shard ? { count: input.shard.count, indices: [input.shard.index] } : null,
    ids: [...input.ids].sort(),
  };
  const old = readManifest(out);
  if (!old) return fresh;
  const where = join(resolve(out), MANIFEST_FILE);
  // Resuming the whole folder after late submissions arrived: the roster may grow, never lose one already graded.
  const grown = old.shard === null && fresh.shard === null && old.ids.every((id) => input.roster.includes(id));
  const differs = mismatch(old, grown ? { ...fresh, rosterHash: old.rosterHash, rosterSize: old.rosterSize } : fresh);
  if (differs) throw new UsageError(`${where}: this folder was graded with ${differs}. Use a new --out folder, or the same settings.`);
  if (old.shard === null || fresh.shard === null) {
    // The whole folder, before or now: the folder covers everything.
    return { ...fresh, shard: null, ids: [...new Set([...old.ids, ...fresh.ids])].sort() };
  }
  if (old.shard.count !== fresh.shard.count) {
    throw new UsageError(
      `${where}: this folder holds shards of ${old.shard.count} (${old.shard.indices.join(', ')}), and this run is shard ${input.shard!.index}/${fresh.shard.count}. ` +
        `Resume with --shard i/${old.shard.count}, or use a new --out folder.`,
    );
  }
  const indices = [...new Set([...old.shard.indices, ...fresh.shard.indices])].sort((a, b) => a - b);
  return { ...fresh, shard: { count: fresh.shard.count, indices }, ids: [...new Set([...old.ids, ...fresh.ids])].sort() };
}

/** What makes two manifests' results incomparable, in words, or undefined when they agree. */
export function mismatch(a: BatchManifest, b: BatchManifest): string | undefined {
  if (a.kitVersion !== b.kitVersion) return `heapgrade ${a.kitVersion}, not ${b.kitVersion}`;
  if (a.mode !== b.mode) return `mode ${a.mode}, not ${b.mode}`;
  if (a.configHash !== b.configHash) return `another configuration (sha256 ${short(a.configHash)}, not ${short(b.configHash)})`;
  if (a.rosterHash !== b.rosterHash) return `another batch folder (${a.rosterSize} submissions, roster ${short(a.rosterHash)}; not ${b.rosterSize}, ${short(b.rosterHash)})`;
  return undefined;
}

const short = (h: string | null): string => (h === null ? 'kit defaults' : h.slice(0, 12));
