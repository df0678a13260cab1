/**
 * A batch folder: every entry (file or folder) is one submission, named by
 * the student id. Dotfiles and editor/OS litter are not submissions.
 * Students choose those names, so the id is made safe (harness/report/
 * sanitize.ts `safeId`): it names files, fills a CSV cell and a terminal line.
 */
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { cleanLine, safeId } from '../report/sanitize.ts';
import { UsageError } from '../util/errors.ts';

export interface BatchEntry {
  /** The student id: the entry's name without a source extension, made safe for files, CSV and terminals. */
  id: string;
  /** Absolute path of the file or folder. */
  path: string;
}

const SOURCE_EXT = /\.(ts|mts|js|mjs|c)$/;
const LITTER = new Set(['__MACOSX', 'node_modules', 'Thumbs.db']);

export function studentId(name: string): string {
  return safeId(name.replace(SOURCE_EXT, ''));
}

export async function discoverSubmissions(dir: string): Promise<BatchEntry[]> {
  const root = resolve(dir);
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch {
    throw new UsageError(`${dir}: not a readable folder. Give the folder that holds one file or folder per student.`);
  }
  const byId = new Map<string, string>();
  for (const e of entries) {
    if (e.name.startsWith('.') || LITTER.has(e.name)) continue;
    if (!e.isFile() && !e.isDirectory()) continue;
    const id = studentId(e.name);
    const other = byId.get(id);
    if (other !== undefined) {
      throw new UsageError(`${dir}: "${cleanLine(other)}" and "${cleanLine(e.name)}" are both student "${id}". Keep one entry per student.`);
    }
    byId.set(id, e.name);
  }
  if (byId.size === 0) {
    throw new UsageError(`${dir}: the folder is empty (no submission files or folders in it). Give the folder that holds one file or folder per student.`);
  }
  return [...byId.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, name]) => ({ id, path: join(root, name) }));
}
