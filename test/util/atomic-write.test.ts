/** One atomic write: a reader sees the old file or the new one, never part of one, and a failed write leaves nothing behind. */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../harness/util/atomic-write.ts';
import { sourceFiles } from '../helpers/source-files.ts';

describe('writeFileAtomic', () => {
  it('readers racing many writers only ever see one whole version', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hg-atomic-'));
    const file = join(dir, 'deep', 'er', 'gradebook.csv'); // the folders are made as needed
    // Versions larger than one write call (Node writes 512 KiB at a time): a plain write is seen half done.
    const versions = Array.from({ length: 8 }, (_, i) => String.fromCharCode(65 + i).repeat(4 * 1024 * 1024));
    await writeFileAtomic(file, versions[0]!);
    let reading = true;
    const seen = new Set<string>();
    const reader = (async () => {
      while (reading) {
        const text = await readFile(file, 'utf8');
        seen.add(text.length === versions[0]!.length && text === text[0]!.repeat(text.length) ? 'whole' : 'torn');
      }
    })();
    await Promise.all(versions.map((v) => writeFileAtomic(file, v)));
    reading = false;
    await reader;
    expect([...seen]).toStrictEqual(['whole']);
    expect(versions).toContain(readFileSync(file, 'utf8'));
    expect(readdirSync(join(dir, 'deep', 'er'))).toStrictEqual(['gradebook.csv']); // no temporary file left
  });

  it('a write that fails throws and leaves the old file and no temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hg-atomic-'));
    const file = join(dir, 'results.json');
    writeFileSync(file, 'old');
    // A directory where the file should be: the rename fails after the temporary file was written.
    const blocked = join(dir, 'blocked');
    await writeFileAtomic(join(blocked, 'x'), 'x');
    await expect(writeFileAtomic(blocked, 'new')).rejects.toThrow();
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(readdirSync(dir).sort()).toStrictEqual(['blocked', 'results.json']);
    expect(statSync(blocked).isDirectory()).toBe(true);
  });
});

describe('no second atomic write', () => {
  it('no harness or scripts module renames a temporary file of its own', () => {
    const offenders = sourceFiles(['harness', 'scripts']).filter((p) => !p.endsWith('atomic-write.ts') && /\.tmp`/.test(readFileSync(p, 'utf8')));
    expect(offenders).toStrictEqual([]);
  });
});
