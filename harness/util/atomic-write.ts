/**
 * The one way the kit replaces a file: written beside its final name under a
 * name no other writer uses (process id and random bytes), then renamed over
 * it. A reader (a concurrent grader sharing a cache, a TA opening the
 * gradebook, Gradescope collecting results.json) sees the old file or the new
 * one, never half of one; a writer that dies leaves only its temporary file,
 * which is removed when the write itself fails.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
