/**
 * `heapgrade merge OUT...`: the output folders of a sharded batch (one per
 * CI job or Kubernetes pod) into one folder with one gradebook, every
 * student's files and a journal, the same as one unsharded run would have
 * written. Refuses folders that do not belong together (kit version, mode,
 * configuration, roster, shard count), that overlap, that leave shards out,
 * or whose shards are not finished, each with what to do about it.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Status } from '../report/types.ts';
import { UsageError } from '../util/errors.ts';
import { JOURNAL_VERSION, JournalWriter, readJournal, type JournalEntry } from './journal.ts';
import { MANIFEST_FILE, MANIFEST_VERSION, mismatch, readManifest, type BatchManifest } from './manifest.ts';
import { writeBatchOutputs } from './outputs.ts';

export interface MergeOptions {
  /** The shard output folders. */
  inputs: readonly string[];
  /** The merged folder (created; must not hold a batch already). */
  out: string;
}

export interface MergeSummary {
  out: string;
  gradebook: string;
  submissions: number;
  shards: number;
  counts: Record<Status, number>;
}

interface Part {
  dir: string;
  manifest: BatchManifest;
  entries: Map<string, JournalEntry>;
  config: string | null;
}

export async function mergeBatches(o: MergeOptions): Promise<MergeSummary> {
  if (o.inputs.length === 0) throw new UsageError('merge needs the output folders of the shards: heapgrade merge OUT1 OUT2 ... --out MERGED');
  const out = resolve(o.out);
  if (existsSync(join(out, 'journal.jsonl')) || existsSync(join(out, MANIFEST_FILE))) {
    throw new UsageError(`${o.out} already holds a batch; merge into a new --out folder`);
  }
  const parts = o.inputs.map(readPart);
  checkTogether(parts);

  // Each id from exactly one folder: an id two folders both graded is an overlap, refused rather than guessed at.
  const owner = new Map<string, Part>();
  for (const p of parts) {
    for (const id of p.manifest.ids) {
      const other = owner.get(id);
      if (other) {
        throw new UsageError(`${other.dir} and ${p.dir} both hold student ${id} (${describeShard(other.manifest)} and ${describeShard(p.manifest)}): the shards overlap. Merge each shard once.`);
      }
      owner.set(id, p);
    }
  }
  const first = parts[0]!.manifest;
  const missing = first.rosterSize - owner.size;
  if (missing > 0) {
    const count = first.shard?.count;
    const have = new Set(parts.flatMap((p) => p.manifest.shard?.indices ?? []));
    const absent = count === undefined ? [] : Array.from({ length: count }, (_, i) => i + 1).filter((i) => !have.has(i));
    throw new UsageError(
      `the folders hold ${owner.size} of the ${first.rosterSize} submissions` +
        (absent.length ? `: shard${absent.length > 1 ? 's' : ''} ${absent.map((i) => `${i}/${count}`).join(', ')} missing` : '') +
        '. Give the output folder of every shard.',
    );
  }
  const ids = [...owner.keys()].sort();
  const entries: JournalEntry[] = [];
  for (const id of ids) {
    const p = owner.get(id)!;
    const e = p.entries.get(id);
    if (!e) {
      throw new UsageError(`${p.dir} has not finished: student ${id} of ${describeShard(p.manifest)} is not graded. Finish it with \`heapgrade batch ... --resume${shardFlag(p.manifest)} --out ${p.dir}\`, then merge.`);
    }
    entries.push(e);
  }

  await mkdir(join(out, 'students'), { recursive: true });
  // The merged journal, so that the merged folder can itself be resumed (--retry-errors) like an unsharded one.
  const journal = new JournalWriter(join(out, 'journal.jsonl'), { journal: JOURNAL_VERSION, mode: first.mode, config: parts[0]!.config, startedAt: new Date().toISOString() });
  try {
    for (const e of entries) journal.record(e);
  } finally {
    journal.close();
  }
  const manifest: BatchManifest = { ...first, manifest: MANIFEST_VERSION, shard: null, ids };
  const gradebook = await writeBatchOutputs(out, entries, manifest);
  // HTML reports are made while grading (they need the run's timelines): copied as they are.
  for (const e of entries) {
    const html = join(owner.get(e.id)!.dir, 'students', `${e.id}.html`);
    if (existsSync(html)) await copyFile(html, join(out, 'students', `${e.id}.html`));
  }
  const counts: Record<Status, number> = { pass: 0, fail: 0, error: 0 };
  for (const e of entries) counts[e.result.status]++;
  return { out, gradebook, submissions: entries.length, shards: parts.length, counts };
}

function readPart(dir: string): Part {
  const abs = resolve(dir);
  if (!existsSync(abs)) throw new UsageError(`${dir}: no such folder; give the --out folders of the shards`);
  const manifest = readManifest(abs);
  if (!manifest) {
    throw new UsageError(`${dir}: not a batch output folder (no ${MANIFEST_FILE}); give the --out folder of a \`heapgrade batch --shard i/n\` run`);
  }
  const journal = readJournal(join(abs, 'journal.jsonl'));
  return { dir, manifest, entries: journal.entries, config: journal.header?.config ?? null };
}

function checkTogether(parts: readonly Part[]): void {
  const a = parts[0]!;
  for (const b of parts.slice(1)) {
    const differs = mismatch(a.manifest, b.manifest);
    if (differs) throw new UsageError(`${a.dir} and ${b.dir} do not belong together: ${a.dir} was graded with ${differs}. Re-grade the shards with the same kit and configuration.`);
    const ca = a.manifest.shard?.count;
    const cb = b.manifest.shard?.count;
    if (ca !== cb) {
      throw new UsageError(`${a.dir} is ${describeShard(a.manifest)} and ${b.dir} is ${describeShard(b.manifest)}: different shard counts split the course differently. Merge shards of one --shard i/N split.`);
    }
  }
}

function describeShard(m: BatchManifest): string {
  return m.shard === null ? 'the whole batch (no --shard)' : `shard ${m.shard.indices.map((i) => `${i}/${m.shard!.count}`).join(' + ')}`;
}

function shardFlag(m: BatchManifest): string {
  return m.shard?.indices.length === 1 ? ` --shard ${m.shard.indices[0]}/${m.shard.count}` : '';
}
