/** A bundle handed to the loader (grade bundles once for all its workers) is used only for the file it was made from. */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSubmission } from '../../harness/loader/load.ts';
import { preparedBundle } from '../../harness/loader/prepare.ts';

const zoo = (n: string): string => fileURLToPath(new URL(`../fixtures/zoo/${n}.ts`, import.meta.url));
const firstPointer = async (spec: string, options: Parameters<typeof loadSubmission>[1]): Promise<number> =>
  (await loadSubmission(spec, options)).instantiate({ seed: 1, limit: 1 << 20 }).allocator.malloc(25); // misaligned.ts misaligns odd sizes

describe('a prepared bundle', () => {
  it('is made for confined TypeScript only, and names its file', async () => {
    const bundle = await preparedBundle(zoo('misaligned'));
    expect(bundle?.entry).toBe(zoo('misaligned'));
    expect(await preparedBundle('ref:reference')).toBeUndefined();
    expect(await preparedBundle(zoo('misaligned'), { confine: false })).toBeUndefined();
  });

  it('loads the file it was made from, and is ignored for any other (a built-in, another file)', async () => {
    const misaligned = (await preparedBundle(zoo('misaligned')))!;
    expect((await firstPointer(zoo('misaligned'), { bundle: misaligned })) % 16).not.toBe(0);
    expect((await firstPointer(zoo('correct'), { bundle: misaligned })) % 16).toBe(0);
    expect((await firstPointer('ref:reference', { bundle: misaligned })) % 16).toBe(0);
  });
});
