/**
 * The TypeScript bundle cache names each entry by the hash of its bytes; an
 * entry changed after it was written (a poisoner outside the sandbox, where
 * the cache is shared) is refused and written again, never imported. Runs on
 * a cache of its own (TMPDIR set before the loader is imported).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('refuses a changed bundle cache entry and writes the real one again', async () => {
  process.env.TMPDIR = mkdtempSync(join(tmpdir(), 'hg-bundle-cache-'));
  const { bundleTs, CACHE_DIR } = await import('../../harness/loader/bundle-ts.ts');
  expect(CACHE_DIR.startsWith(process.env.TMPDIR)).toBe(true);
  const entry = fileURLToPath(new URL('../fixtures/batch/subs/pass.ts', import.meta.url));
  const first = await bundleTs(entry);
  const good = readFileSync(first, 'utf8');
  writeFileSync(first, 'export default () => { throw new Error("POISONED"); };');
  const again = await bundleTs(entry);
  expect(again).toBe(first);
  expect(readFileSync(again, 'utf8')).toBe(good);
});
