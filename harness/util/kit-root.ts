/**
 * The kit's own folder (the one with its package.json), found the same way
 * from the TypeScript sources (harness/util) and from the compiled tree
 * (dist/harness/util), and never from the current directory: in a student's
 * folder the nearest package.json is the student's.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findKitRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'heapgrade') return dir;
    if (dirname(dir) === dir) throw new Error(`heapgrade: no package.json named "heapgrade" above ${start}: the kit's files are incomplete`);
  }
}

export const KIT_ROOT: string = findKitRoot(dirname(fileURLToPath(import.meta.url)));

/** The kit's version, from its package.json. */
export function kitVersion(): string {
  return (JSON.parse(readFileSync(join(KIT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
}
