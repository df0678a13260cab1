/**
 * Writes `OUT/index.html`, the course page, from a batch folder's journal
 * (and, for "what changed", an earlier folder's): the summary is computed
 * from the data (harness/batch/course/summary.ts), then formatted.
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { diffCourses } from './course/diff.ts';
import { studentHref, type StudentLink } from './course/links.ts';
import { renderCoursePage } from './course/page.ts';
import { courseSummary } from './course/summary.ts';
import { cleanLine } from '../report/sanitize.ts';
import { readBatchFolder, type BatchFolder } from './batch-folder.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';

export const COURSE_PAGE = 'index.html';

export interface CoursePageRequest {
  /** An earlier output folder of the same course: adds "what changed". */
  compareTo?: string;
  /** Score drawn as the pass line on the histogram. */
  passLine?: number;
}

/** Writes the page into the folder and returns its path. */
export async function writeCoursePage(out: string, request: CoursePageRequest = {}): Promise<string> {
  const folder = readBatchFolder(out);
  // Read before anything is written: a bad --compare-to must not leave a half-made page.
  const older = request.compareTo === undefined ? undefined : readBatchFolder(request.compareTo);
  const summary = courseSummary(folder.entries, { mode: folder.mode, ...(request.passLine !== undefined && { passLine: request.passLine }) });
  const ungraded = folder.ungraded.length ? ` (${folder.ungraded.length} not graded yet)` : '';
  const page = renderCoursePage(summary, {
    title: `Course results: ${cleanLine(basename(folder.dir))}${ungraded}`,
    link: linksOf(folder),
    ...(older && { changes: { diff: diffCourses(older.entries, folder.entries), label: cleanLine(older.dir) } }),
  });
  const path = join(folder.dir, COURSE_PAGE);
  await writeFileAtomic(path, page);
  return path;
}

/** A student's HTML report when the batch wrote one (`--html`), else the text report. */
function linksOf(folder: BatchFolder): StudentLink {
  let files: Set<string>;
  try {
    files = new Set(readdirSync(join(folder.dir, 'students')));
  } catch {
    files = new Set();
  }
  return (id) => (files.has(`${id}.html`) ? studentHref(id, 'html') : files.has(`${id}.txt`) ? studentHref(id, 'txt') : undefined);
}
