/**
 * The course page for a large course: a synthetic journal of N students
 * (test/fixtures/batch/synthetic-course.ts: passing, failing with repros,
 * not loading, timed out, kit errors, 4 workloads) written as a batch output
 * folder, then `writeCoursePage` (read, summarize, render, write) timed in
 * Node, and the page timed in headless Chromium: navigation until its script
 * has run (`data-rendered`, after layout of every row and SVG point), a sort
 * by total, and a filter. Medians of R runs.
 *   npx tsx bench/course-page.ts [N=1000] [R=5]
 */
import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { writeCoursePage } from '../harness/batch/course-page.ts';
import { JOURNAL_VERSION } from '../harness/batch/journal.ts';
import { syntheticCourse } from '../test/fixtures/batch/synthetic-course.ts';

const n = Number(process.argv[2] ?? 1000);
const runs = Number(process.argv[3] ?? 5);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const out = mkdtempSync(join(tmpdir(), 'heapgrade-course-bench-'));
mkdirSync(join(out, 'students'));
const entries = syntheticCourse(n, 1);
const header = { journal: JOURNAL_VERSION, mode: 'grade', config: null, startedAt: '2026-12-07T00:00:00.000Z' };
writeFileSync(join(out, 'journal.jsonl'), [header, ...entries].map((e) => JSON.stringify(e)).join('\n') + '\n');
for (const e of entries) writeFileSync(join(out, 'students', `${e.id}.html`), '');

const node: number[] = [];
let page = '';
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  page = await writeCoursePage(out);
  node.push(performance.now() - t);
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
const load: number[] = [];
const sort: number[] = [];
const filter: number[] = [];
for (let i = 0; i < runs; i++) {
  const tab = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const t = performance.now();
  await tab.goto(pathToFileURL(page).href);
  await tab.waitForSelector('html[data-rendered="true"]');
  load.push(performance.now() - t);
  // Measured inside the page: the sort or filter and the layout it forces.
  sort.push(await tab.evaluate(() => {
    const t0 = performance.now();
    (document.querySelectorAll('#student-table th')[3] as HTMLElement).click();
    void document.body.offsetHeight;
    return performance.now() - t0;
  }));
  filter.push(await tab.evaluate(() => {
    const input = document.getElementById('filter') as HTMLInputElement;
    const t0 = performance.now();
    input.value = 's01';
    input.dispatchEvent(new Event('input'));
    void document.body.offsetHeight;
    return performance.now() - t0;
  }));
  await tab.close();
}
await browser.close();
const kb = (statSync(page).size / 1024).toFixed(0);
console.log(`course page, ${n} students (${kb} KB), median of ${runs}: writeCoursePage ${median(node).toFixed(0)} ms; Chromium load to rendered ${median(load).toFixed(0)} ms (max ${Math.max(...load).toFixed(0)}), sort ${median(sort).toFixed(0)} ms, filter ${median(filter).toFixed(0)} ms`);
