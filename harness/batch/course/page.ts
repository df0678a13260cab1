/**
 * The course page (`OUT/index.html`): one self-contained HTML file from the
 * course summary, with the same rules as a student's report
 * (harness/visual/html): inline CSS, no network, every name escaped, and a
 * Content-Security-Policy that runs only the kit's own small script (which
 * sorts and filters the student table; the page reads fine without it).
 */
import { readFileSync } from 'node:fs';
import { selfContainedPage } from '../../visual/html/document.ts';
import { html, raw } from '../../visual/html/escape.ts';
import type { CourseDiff } from './diff.ts';
import type { StudentLink } from './links.ts';
import { autoProfileLine, callouts, checksSection, diffSection, distributionSection, failuresSection, studentsTable, workloadsSection } from './sections.ts';
import type { CourseSummary } from './summary.ts';

export interface CoursePageOptions {
  /** The page title (the output folder's name by default). */
  title: string;
  /** The per-student file a name links to, if any. */
  link: StudentLink;
  /** "What changed" since an earlier output folder. */
  changes?: { diff: CourseDiff; label: string };
}

const read = (url: URL): string => readFileSync(url, 'utf8');
let assets: { css: string; js: string } | undefined;

export function renderCoursePage(s: CourseSummary, o: CoursePageOptions): string {
  // The student reports' look, plus the course page's own pieces.
  assets ??= {
    css: read(new URL('../../visual/html/assets/report.css', import.meta.url)) + read(new URL('./assets/course.css', import.meta.url)),
    js: read(new URL('./assets/course.js', import.meta.url)),
  };
  const { pass, fail, error } = s.counts;
  const body = html`<p class="meta">${s.students.length} submissions (${s.mode === 'grade' ? 'graded' : 'tests only'}): <span class="status pass">${pass} pass</span> <span class="status fail">${fail} fail</span> <span class="status error">${error} error</span></p>
<nav class="meta"><a href="#distribution">distribution</a>${s.checks.length ? raw(' &middot; <a href="#checks">checks</a>') : ''}${s.workloads.length ? raw(' &middot; <a href="#workloads">workloads</a>') : ''}${
    s.notLoaded.length ? raw(' &middot; <a href="#not-loaded">did not load</a>') : ''
  }${o.changes ? raw(' &middot; <a href="#changes">what changed</a>') : ''} &middot; <a href="#students">students</a> &middot; <a href="gradebook.csv">gradebook.csv</a></nav>
${callouts(s, o.link)}
${autoProfileLine(s, o.link)}
${o.changes ? diffSection(o.changes.diff, o.changes.label, o.link) : ''}
${distributionSection(s)}
${checksSection(s, o.link)}
${workloadsSection(s)}
${failuresSection(s, o.link)}
${studentsTable(s, o.link)}`;
  return selfContainedPage({ title: o.title, ...assets, body });
}
