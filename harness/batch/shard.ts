/**
 * `--shard i/n`: a deterministic slice of the submissions, so a CI matrix can
 * split a course. Shards are 1-based (like vitest's --shard) and take every
 * n-th id of the sorted list, which keeps their sizes within one of each other.
 */
import { UsageError } from '../util/errors.ts';

export interface Shard {
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new UsageError(`Expected \`--shard\` to be i/n with 1 <= i <= n (e.g. 2/4), got \`${text}\``);
  }
  return { index, count };
}

/** The items of shard `i/n`, from a list already sorted by id. */
export function selectShard<T>(sorted: readonly T[], shard: Shard | undefined): T[] {
  if (!shard) return [...sorted];
  return sorted.filter((_, k) => k % shard.count === shard.index - 1);
}
