/**
 * TypeScript submissions are bundled with esbuild (relative imports work,
 * no type checking, no global loader hooks) into a cache file named by the
 * hash of the output, then imported. Syntax errors become a LoadError that
 * names file:line:column, as a compiler would.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Message } from 'esbuild';
import { LoadError } from '../util/errors.ts';

export const CACHE_DIR = join(tmpdir(), 'heapgrade-cache', 'ts');

function formatMessage(m: Message): string {
  const loc = m.location;
  if (!loc) return `error: ${m.text}`;
  const file = relative(process.cwd(), loc.file) || loc.file;
  return `${file}:${loc.line}:${loc.column + 1}: error: ${m.text}\n    ${loc.lineText}\n    ${' '.repeat(loc.column)}^`;
}

/** Bundles `entry` and returns the path of an importable .mjs file. */
export async function bundleTs(entry: string): Promise<string> {
  let code: string;
  try {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      write: false,
      sourcemap: 'inline',
      logLevel: 'silent',
      // The map's sources are relative to the working directory, but the
      // bundle runs from the cache: anchor them so stack traces name the
      // student's own files.
      sourceRoot: `${pathToFileURL(process.cwd()).href}/`,
    });
    code = result.outputFiles[0]!.text;
  } catch (e) {
    const errors = (e as { errors?: Message[] }).errors;
    if (errors?.length) {
      throw new LoadError(
        `${relative(process.cwd(), entry) || entry} does not compile:\n${errors.slice(0, 5).map(formatMessage).join('\n')}`,
        { cause: e },
      );
    }
    throw new LoadError(`cannot read ${entry}: ${(e as Error).message}`, { cause: e });
  }
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 24);
  const out = join(CACHE_DIR, `${hash}.mjs`);
  try {
    await access(out);
    // The name is the hash of the bundle: an entry whose bytes differ was changed after it was written
    // (by anything that could write the cache): refuse it and write ours again.
    const { readFile } = await import('node:fs/promises');
    if ((await readFile(out, 'utf8')) !== code) throw new Error('changed cache entry');
  } catch {
    await mkdir(CACHE_DIR, { recursive: true });
    // Write then rename would be atomic; a unique temp name per writer is enough here.
    const tmp = `${out}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(tmp, code);
    const { rename } = await import('node:fs/promises');
    await rename(tmp, out);
  }
  return out;
}
