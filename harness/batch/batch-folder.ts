/**
 * A finished (or merged) batch output folder read back: its journal entries
 * in course order and what it was run with, for the course page and
 * `heapgrade diff`. A folder that is not a batch output is refused with its
 * path and what to give instead.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../util/errors.ts';
import { readJournal, type JournalEntry } from './journal.ts';
import { readManifest } from './manifest.ts';

export const JOURNAL_FILE = 'journal.jsonl';

export interface BatchFolder {
  /** Absolute path. */
  dir: string;
  mode: string;
  /** One per graded student, in id order. */
  entries: JournalEntry[];
  /** Ids the folder is responsible for that have no result yet (a batch still running or killed). */
  ungraded: string[];
}

export function readBatchFolder(given: string): BatchFolder {
  const dir = resolve(given);
  const fix = 'give the --out folder of `heapgrade batch` or `heapgrade merge`';
  if (!existsSync(dir)) throw new UsageError(`${given}: no such folder; ${fix}`);
  if (!statSync(dir).isDirectory()) throw new UsageError(`${given}: not a folder; ${fix}`);
  const journalPath = join(dir, JOURNAL_FILE);
  if (!existsSync(journalPath)) throw new UsageError(`${given}: not a batch output folder (it has no ${JOURNAL_FILE}); ${fix}`);
  const manifest = readManifest(dir);
  const journal = readJournal(journalPath);
  if (!journal.header && journal.entries.size === 0) throw new UsageError(`${journalPath}: no batch results in it (empty or not a heapgrade journal); ${fix}`);
  const ids = [...new Set([...(manifest?.ids ?? []), ...journal.entries.keys()])].sort();
  const entries = ids.map((id) => journal.entries.get(id)).filter((e): e is JournalEntry => e !== undefined);
  return {
    dir,
    mode: manifest?.mode ?? journal.header?.mode ?? 'grade',
    entries,
    ungraded: ids.filter((id) => !journal.entries.has(id)),
  };
}
