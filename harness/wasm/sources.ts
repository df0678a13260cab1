/**
 * What a C submission is made of: one `.c` file (with the `.h` files beside
 * it, so `#include "mm.h"` finds the student's own header), or a folder of
 * `.c`/`.h` files (top level).
 */
import { lstat, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { LoadError } from '../util/errors.ts';

export interface CSources {
  /** Display name: the file or folder the user named. */
  readonly root: string;
  /** Translation units, by base name. */
  readonly units: readonly { name: string; text: string }[];
  /** Headers beside them, by base name. */
  readonly headers: readonly { name: string; text: string }[];
}

export function isCSubmissionPath(p: string): boolean {
  return /\.c$/i.test(p);
}

export async function readCSources(target: string | readonly string[]): Promise<CSources> {
  if (typeof target !== 'string') return readFileList(target);
  let info;
  try {
    info = await stat(target);
  } catch {
    throw new LoadError(`Cannot read ${target}: no such file or folder. Pass a .c file (mm.c, alloc.c) or a folder of .c/.h files.`);
  }
  const dir = info.isDirectory() ? target : path.dirname(target);
  const names = (await readdir(dir)).sort();
  const unitNames = info.isDirectory() ? names.filter((n) => /\.c$/i.test(n)) : [path.basename(target)];
  if (unitNames.length === 0) throw new LoadError(`${target} holds no .c file: a C submission is a .c file or a folder of .c/.h files.`);
  const headerNames = names.filter((n) => /\.h$/i.test(n));
  const read = async (n: string): Promise<{ name: string; text: string }> => {
    const file = path.join(dir, n);
    // The compiler runs outside the grading sandbox's reach of the student's folder: a link in it
    // (`mm.h -> /etc/shadow`) would make it read, and print in its errors, a file of the grading machine.
    if (file !== target && (await lstat(file)).isSymbolicLink()) {
      throw new LoadError(`${file} is a symbolic link; submit the file itself (links are not followed when grading).`);
    }
    return { name: n, text: await readFile(file, 'utf8') };
  };
  return { root: target, units: await Promise.all(unitNames.map(read)), headers: await Promise.all(headerNames.map(read)) };
}

/** An explicit list of .c/.h files (their base names must differ). */
async function readFileList(files: readonly string[]): Promise<CSources> {
  const units: { name: string; text: string }[] = [];
  const headers: { name: string; text: string }[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = await readFile(f, 'utf8');
    } catch {
      throw new LoadError(`Cannot read ${f}: no such file.`);
    }
    (/\.h$/i.test(f) ? headers : units).push({ name: path.basename(f), text });
  }
  if (units.length === 0) throw new LoadError(`No .c file among ${files.join(', ') || '(none)'}.`);
  return { root: files.length === 1 ? files[0]! : files.join(' '), units, headers };
}
