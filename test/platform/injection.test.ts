/**
 * [slow] What TAs read stays what it is, whatever students name their
 * folders and print: a batch of hostile submissions (folder names with
 * escape sequences, line breaks, HTML, a spreadsheet formula, a name at the
 * file-name limit; an allocator printing escapes, `</pre><script>` and
 * Markdown) through the progress lines, gradebook.csv, the per-student files
 * and each student's HTML report, opened in real headless Chromium (no
 * script runs). Gradescope's side is in gradescope-packed.test.ts.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBatch, type BatchSummary } from '../../harness/batch/run-batch.ts';
import { safeId } from '../../harness/report/sanitize.ts';
import { parseCsv } from '../batch/helpers/csv-parse.ts';
import { GRADING_SANDBOX } from '../helpers/sandbox.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const PRINTS = fileURLToPath(new URL('../fixtures/platform/injects.c', import.meta.url));
const fixture = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../fixtures/batch/subs/${name}`, import.meta.url)), 'utf8')
    .replace(/'(\.\.\/)+reference\//g, `'${ROOT}reference/`)
    .replace(/'(\.\.\/)+harness\//g, `'${ROOT}harness/`);

// eslint-disable-next-line no-control-regex
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;
/** Folder and file names as students could choose them (no '/' is possible in a name). */
const NAMES = {
  escapes: '\x1b]0;pwned\x07\x1b[2J\x1b[31mred\nline',
  html: '<img src=x onerror=window.__pwned=1>',
  formula: '=HYPERLINK("evil"),x"y',
  long: 'l'.repeat(252),
};

let out: string;
let summary: BatchSummary;
let progress = '';

beforeAll(async () => {
  const work = await mkdtemp(join(tmpdir(), 'heapgrade-inject-'));
  const dir = join(work, 'subs');
  mkdirSync(join(dir, NAMES.escapes), { recursive: true });
  copyFileSync(PRINTS, join(dir, NAMES.escapes, 'mm.c'));
  mkdirSync(join(dir, NAMES.html));
  writeFileSync(join(dir, NAMES.html, 'allocator.ts'), fixture('pass.ts'));
  writeFileSync(join(dir, `${NAMES.formula}.ts`), fixture('fail-misaligned.ts'));
  writeFileSync(join(dir, `${NAMES.long}.ts`), fixture('pass.ts'));
  const config = join(work, 'config.json');
  writeFileSync(config, JSON.stringify({ onlyListedWorkloads: true, workloads: { coalescing: {} }, speed: 'cost', timing: { rounds: 3, minSampleMs: 1 } }));
  out = join(work, 'out');
  summary = await runBatch({
    dir, out, configPath: config, mode: 'grade', html: true, jobs: 2, timeoutMs: 240_000, memoryMb: 512,
    progress: { write: (t) => void (progress += t) },
    sandbox: GRADING_SANDBOX,
  });
}, 600_000);

describe.skipIf(process.env.HEAPGRADE_SKIP_SLOW === '1')('[slow] hostile names and output through batch', () => {
  it('grades every submission under a safe id', () => {
    expect(summary.total).toBe(4);
    expect(summary.counts.error).toBe(0);
    const files = readdirSync(join(out, 'students'));
    for (const name of Object.values(NAMES)) {
      const id = safeId(name);
      expect(id).not.toMatch(CONTROLS);
      for (const ext of ['json', 'txt', 'html']) expect(files, `${JSON.stringify(name)}.${ext}`).toContain(`${id}.${ext}`);
    }
  });

  it('keeps the terminal lines and gradebook.csv free of control characters, one row per student', () => {
    expect(progress.replace(/\n/g, '')).not.toMatch(CONTROLS);
    expect(progress.trim().split('\n')).toHaveLength(4 + 1); // one line per submission, then the total
    const text = readFileSync(join(out, 'gradebook.csv'), 'utf8');
    expect(text.replace(/\n/g, '')).not.toMatch(CONTROLS);
    const rows = parseCsv(text);
    expect(rows).toHaveLength(5);
    for (const r of rows) expect(r).toHaveLength(rows[0]!.length);
    expect(rows.slice(1).map((r) => r[0]).sort()).toStrictEqual(Object.values(NAMES).map(safeId).map((id) => (/^[=+\-@]/.test(id) ? `'${id}` : id)).sort());
  });

  it("shows what the allocator printed, inert, in the student's text report", () => {
    const txt = readFileSync(join(out, 'students', `${safeId(NAMES.escapes)}.txt`), 'utf8');
    expect(txt).not.toMatch(CONTROLS);
    expect(txt).toContain('ALL TESTS PASSED');
    expect(txt).toMatch(/score: 0\n\s+score: 100/);
    expect(txt).toContain('</pre><script>window.__pwned = 1</script>'); // text, for a text file
  });
});

describe.skipIf(process.env.HEAPGRADE_SKIP_SLOW === '1' || !existsSync(CHROMIUM))('[slow] the HTML reports in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('runs no script a student name or output carries, and shows the name as text', async () => {
    for (const name of Object.values(NAMES)) {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) errors.push(`network request: ${r.url()}`);
      });
      await page.goto(pathToFileURL(join(out, 'students', `${safeId(name)}.html`)).href);
      await page.waitForSelector('html[data-rendered="true"]', { timeout: 30_000 }); // the kit's own script did run
      const seen = await page.evaluate(() => ({
        pwned: (window as unknown as { __pwned?: number }).__pwned,
        scripts: document.scripts.length,
        images: document.images.length,
        title: document.querySelector('h1')?.textContent ?? '',
      }));
      await page.close();
      expect(errors, name).toStrictEqual([]);
      expect(seen.pwned, name).toBeUndefined();
      expect(seen.scripts, 'the data block and the kit script only').toBe(2);
      expect(seen.images).toBe(0);
      if (name === NAMES.html) expect(seen.title).toContain('<img src=x onerror=window.__pwned=1>');
      expect(seen.title).not.toMatch(CONTROLS);
    }
  }, 120_000);

  it('shows every hostile name on the course page as text, running only the kit script', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => {
      if (r.url() !== pathToFileURL(join(out, 'index.html')).href) errors.push(`request: ${r.url()}`);
    });
    await page.goto(pathToFileURL(join(out, 'index.html')).href);
    await page.waitForSelector('html[data-rendered="true"]', { timeout: 30_000 });
    const seen = await page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: number }).__pwned,
      scripts: document.scripts.length,
      images: document.images.length,
      ids: [...document.querySelectorAll('#student-table tbody td:first-child')].map((td) => td.textContent ?? ''),
      text: document.body.textContent ?? '',
    }));
    await page.close();
    expect(errors).toStrictEqual([]);
    expect(seen).toMatchObject({ pwned: undefined, scripts: 1, images: 0 });
    expect(seen.ids.sort()).toStrictEqual(Object.values(NAMES).map(safeId).sort());
    expect(seen.text).not.toMatch(CONTROLS);
  }, 60_000);
});
