/**
 * What a batch output folder holds besides its journal: gradebook.csv, the
 * per-student files and batch.json, written from journal entries. `batch`
 * and `merge` both write through here, so a merged folder is the same as an
 * unsharded one.
 */
import { writeFileAtomic } from '../util/atomic-write.ts';
import { join } from 'node:path';
import { gradebookCsv } from './gradebook.ts';
import type { JournalEntry } from './journal.ts';
import { MANIFEST_FILE, type BatchManifest } from './manifest.ts';
import { studentJson, studentText } from './student-report.ts';
import { studentView } from './student-view.ts';

/**
 * Writes the gradebook (rows in the order given), each student's .json and
 * .txt (students/: what may be handed to the student, hidden workloads left
 * out), the TA's full record of each (staff/: hidden workloads included, not
 * for students) and the manifest; returns the gradebook's path.
 */
export async function writeBatchOutputs(out: string, entries: readonly JournalEntry[], manifest: BatchManifest): Promise<string> {
  const gradebook = join(out, 'gradebook.csv');
  await writeFileAtomic(gradebook, gradebookCsv(entries));
  for (const e of entries) {
    const student = studentView(e);
    await writeFileAtomic(join(out, 'students', `${e.id}.json`), studentJson(student));
    await writeFileAtomic(join(out, 'students', `${e.id}.txt`), studentText(student));
    await writeFileAtomic(join(out, 'staff', `${e.id}.json`), studentJson(e));
    await writeFileAtomic(join(out, 'staff', `${e.id}.txt`), studentText(e));
  }
  await writeFileAtomic(join(out, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return gradebook;
}
