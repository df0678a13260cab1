/**
 * The batch journal: one JSON line per finished submission, written and
 * fsynced as each result arrives, so a batch killed at any moment loses at
 * most the submissions that were still running. The first line records what
 * the batch was run with; `--resume` refuses a journal written for another
 * configuration. A torn last line (killed mid-write) is ignored on reading.
 *
 * Between a submission's start and its final line, each check and workload
 * result is journaled as it completes (`{ id, progress, result }`), so that
 * nothing earned is lost: a submission stopped at its limit keeps it, and
 * `--resume` after a killed batch runs only what the journal lacks. Only the
 * parent writes this file; a graded child cannot reach it.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { Streamed } from '../isolation/partial.ts';
import type { IsolatedResult } from '../isolation/run-isolated.ts';
import type { CheckResult, WorkloadResult } from '../report/types.ts';
import { UsageError } from '../util/errors.ts';

export const JOURNAL_VERSION = 1;

export interface JournalHeader {
  journal: typeof JOURNAL_VERSION;
  mode: string;
  config: string | null;
  startedAt: string;
}

export interface JournalEntry {
  id: string;
  finishedAt: string;
  result: IsolatedResult;
}

export interface JournalContents {
  header?: JournalHeader;
  /** The last entry per id (a re-graded id supersedes its earlier line). */
  entries: Map<string, JournalEntry>;
  /** Results streamed for ids that have no final entry after them (a batch killed while they ran). */
  progress: Map<string, Streamed>;
  /** Lines that did not parse (at most the torn last one, unless the file was edited). */
  skipped: number;
}

export type ProgressRecord =
  | { id: string; progress: 'check'; result: CheckResult }
  | { id: string; progress: 'workload'; result: WorkloadResult };

export function readJournal(path: string): JournalContents {
  const entries = new Map<string, JournalEntry>();
  const progress = new Map<string, Streamed>();
  if (!existsSync(path)) return { entries, progress, skipped: 0 };
  let header: JournalHeader | undefined;
  let skipped = 0;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      skipped++;
      continue;
    }
    const rec = v as Partial<JournalHeader & JournalEntry & { progress: string }>;
    if (rec.journal !== undefined) header ??= rec as JournalHeader;
    else if (typeof rec.id === 'string' && (rec.progress === 'check' || rec.progress === 'workload') && rec.result) {
      const p = progress.get(rec.id) ?? { checks: [], workloads: [] };
      if (rec.progress === 'check') p.checks.push(rec.result as unknown as CheckResult);
      else p.workloads.push(rec.result as unknown as WorkloadResult);
      progress.set(rec.id, p);
    } else if (typeof rec.id === 'string' && rec.result) {
      entries.set(rec.id, rec as JournalEntry);
      // A final line settles the id: its streamed results are in it.
      progress.delete(rec.id);
    } else skipped++;
  }
  return { header, entries, progress, skipped };
}

export class JournalWriter {
  private readonly fd: number;

  constructor(
    readonly path: string,
    header: JournalHeader | undefined,
  ) {
    const tornTail = existsSync(path) && !/(^|\n)$/.test(readFileSync(path, 'utf8').slice(-1));
    this.fd = openSync(path, 'a');
    // A batch killed mid-write leaves a line without its newline: end it, so the next entry starts clean.
    if (tornTail) writeSync(this.fd, '\n');
    if (header) this.append(header);
  }

  record(entry: JournalEntry): void {
    this.append(entry);
  }

  /** One check's or workload's result, as it completes. */
  recordProgress(rec: ProgressRecord): void {
    this.append(rec);
  }

  close(): void {
    closeSync(this.fd);
  }

  private append(v: unknown): void {
    // One write per line (appends of one buffer are not interleaved), then to disk before the next.
    writeSync(this.fd, `${JSON.stringify(v)}\n`);
    fsyncSync(this.fd);
  }
}

/** Checks that a journal being resumed was written for the same grading. */
export function checkResumable(path: string, found: JournalHeader | undefined, want: JournalHeader): void {
  if (!found) return;
  if (found.mode !== want.mode || found.config !== want.config) {
    throw new UsageError(
      `${path} was written by a batch with mode ${found.mode} and config ${found.config ?? '(default)'}; ` +
        `this one has mode ${want.mode} and config ${want.config ?? '(default)'}. ` +
        'Resume with the same --config, or use a new --out folder.',
    );
  }
}
