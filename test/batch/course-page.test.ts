/**
 * [slow] The course page (`batch --html` → OUT/index.html) for a real batch
 * of held-in allocators: passing, failing, not loading (TypeScript without a
 * factory, C that does not compile) and one whose folder name is HTML. In
 * headless Chromium it loads with no console errors and no requests, shows
 * every student, draws its charts (counted by SVG structure: bars, points,
 * lines), shows the hostile name as text, and its table sorts and filters.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBatch, type BatchSummary } from '../../harness/batch/run-batch.ts';
import { safeId } from '../../harness/report/sanitize.ts';
import { GRADING_SANDBOX } from '../helpers/sandbox.ts';
import { readJournal } from '../../harness/batch/journal.ts';
import { gradebookRow } from '../../harness/batch/gradebook.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const fixture = (name: string): string =>
  readFileSync(fileURLToPath(new URL(`../fixtures/batch/subs/${name}`, import.meta.url)), 'utf8')
    .replace(/'(\.\.\/)+reference\//g, `'${ROOT}reference/`)
    .replace(/'(\.\.\/)+harness\//g, `'${ROOT}harness/`);
const BROKEN = fileURLToPath(new URL('../fixtures/batch/c-subs/broken.c', import.meta.url));
const HOSTILE = '<img src=x onerror=window.__pwned=1>';
const slow = process.env.HEAPGRADE_SKIP_SLOW === '1';

let out: string;
let summary: BatchSummary;

beforeAll(async () => {
  if (slow) return;
  const work = await mkdtemp(join(tmpdir(), 'heapgrade-course-'));
  const dir = join(work, 'subs');
  mkdirSync(join(dir, HOSTILE), { recursive: true });
  writeFileSync(join(dir, HOSTILE, 'allocator.ts'), fixture('pass.ts'));
  writeFileSync(join(dir, 'amy.ts'), fixture('pass.ts'));
  writeFileSync(join(dir, 'bob.ts'), fixture('fail-misaligned.ts'));
  writeFileSync(join(dir, 'cat.ts'), fixture('no-factory.ts'));
  // broken.c with a 2010 handout's sign, so that `auto` picks malloclab-2010 for it.
  writeFileSync(join(dir, 'dan.c'), `${readFileSync(BROKEN, 'utf8')}#ifdef DRIVER\n#endif\n`);
  out = join(work, 'out');
  summary = await runBatch({
    dir, out, configPath: fileURLToPath(new URL('../fixtures/batch/config.json', import.meta.url)), html: true, jobs: 2, timeoutMs: 240_000, sandbox: GRADING_SANDBOX,
    // `auto`: the page says which profile it picked, beside the compile error too.
    choices: { profile: 'auto' },
    progress: { write: () => {}, isTTY: false },
  });
}, 600_000);

describe.skipIf(slow)('[slow] batch --html writes the course page', () => {
  it('grades the batch as the fixtures say and names the page in its summary', () => {
    expect(summary.counts).toStrictEqual({ pass: 2, fail: 3, error: 0 });
    expect(summary.coursePage).toBe(join(out, 'index.html'));
    const page = readFileSync(summary.coursePage!, 'utf8');
    expect(page).not.toContain('<img src=x');
    expect(page).toContain('&lt;img src=x onerror=window.__pwned=1&gt;');
  });
});

describe.skipIf(slow || !existsSync(CHROMIUM))('[slow] the course page in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('request', (r) => {
      if (r.url() !== pathToFileURL(join(out, 'index.html')).href) errors.push(`request: ${r.url()}`);
    });
    await page.goto(pathToFileURL(join(out, 'index.html')).href);
    await page.waitForSelector('html[data-rendered="true"]', { timeout: 30_000 });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  const ids = (): Promise<string[]> => page.$$eval('#student-table tbody tr:not(.filtered-out) td:first-child', (tds) => tds.map((td) => td.textContent ?? ''));

  it('loads with no errors and no requests, and lists every student once, the hostile name as text', async () => {
    expect(await ids()).toStrictEqual(['<img src=x onerror=window.__pwned=1>', 'amy', 'bob', 'cat', 'dan'].map(safeId));
    const seen = await page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: number }).__pwned,
      images: document.images.length,
      scripts: document.scripts.length,
      hrefs: [...document.querySelectorAll<HTMLAnchorElement>('#student-table a')].map((a) => a.href),
    }));
    expect(seen).toMatchObject({ pwned: undefined, images: 0, scripts: 1 });
    // Every link opens the student's own report: HTML for the graded, text for those that did not load.
    expect(seen.hrefs.map((h) => existsSync(fileURLToPath(h)))).toStrictEqual([true, true, true, true, true]);
    expect(seen.hrefs.filter((h) => h.endsWith('.html'))).toHaveLength(3);
    expect(errors).toStrictEqual([]);
  });

  it('draws the histogram and one scatter per workload, the hidden one marked', async () => {
    const charts = await page.evaluate(() => ({
      bars: document.querySelectorAll('svg.histogram rect.bar').length,
      drawnBars: [...document.querySelectorAll<SVGRectElement>('svg.histogram rect.bar')].filter((r) => Number(r.getAttribute('height')) > 0).length,
      median: document.querySelectorAll('svg.histogram .median line').length,
      passLine: document.querySelectorAll('svg.histogram .pass-line line').length,
      scatters: [...document.querySelectorAll('svg.scatter')].map((s) => ({
        workload: s.getAttribute('data-workload'),
        hidden: s.classList.contains('hidden-workload'),
        points: s.querySelectorAll('circle.pt').length,
        failing: s.querySelectorAll('circle.pt.fail').length,
        reference: s.querySelectorAll('.reference line').length,
        width: s.getBoundingClientRect().width,
      })),
    }));
    expect(charts).toMatchObject({ bars: 20, median: 1, passLine: 1 });
    // One drawn bar per (bin, pass/fail) that holds a scored student: computed from the gradebook rows, so a change
    // in how many points bob keeps moves his bar, not this test.
    const rows = [...readJournal(join(out, 'journal.jsonl')).entries.values()].map(gradebookRow);
    // A grade batch: ten bins of 10 points.
    const drawn = new Set(rows.filter((r) => r.status !== 'error' && r.total !== undefined).map((r) => `${Math.min(9, Math.floor(r.total! / 10))}:${r.status}`));
    expect(drawn.size).toBeGreaterThanOrEqual(2); // at least the passing bin and the failing ones
    expect(charts.drawnBars).toBe(drawn.size);
    expect(charts.scatters.map((s) => ({ workload: s.workload, hidden: s.hidden, points: s.points, failing: s.failing, reference: s.reference }))).toStrictEqual([
      { workload: 'binary', hidden: true, points: 3, failing: 1, reference: 1 },
      { workload: 'coalescing', hidden: false, points: 3, failing: 1, reference: 1 },
    ]);
    for (const s of charts.scatters) expect(s.width).toBeGreaterThan(300);
    // Hovering a point names its student, as text.
    await page.hover('svg.scatter[data-workload="coalescing"] circle.pt.fail');
    expect(await page.textContent('div.tooltip')).toMatch(/^bob: utilization \d+\.\d%, speed \d+\.\d\dx$/);
  });

  it('shows the checks bob broke with his repro, and groups what did not load', async () => {
    const text = await page.evaluate(() => ({
      checks: document.querySelector('table.checks')?.textContent ?? '',
      notLoaded: [...document.querySelectorAll('#not-loaded + p + table tr')].slice(1).map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
    }));
    expect(text.checks).toContain('misaligned ×1 — e.g. bob');
    expect(text.checks).toMatch(/b0 = malloc\(\d+\)/);
    // Columns: students, reason, profile picked by auto, who.
    expect(text.notLoaded.map((r) => r[3]).sort()).toStrictEqual(['cat', 'dan']);
    expect(text.notLoaded.find((r) => r[3] === 'dan')!.slice(1, 3)).toStrictEqual(['error: expected expression', 'malloclab-2010 (1)']);
    expect(text.notLoaded.find((r) => r[3] === 'cat')![2]).toBe('heapgrade (1)');
    expect(await page.textContent('#auto-profiles')).toBe('Profile auto picked heapgrade for 4; malloclab-2010 for 1 (dan).');
  });

  it('sorts by a clicked column and filters by text and status', async () => {
    const total = page.locator('#student-table th', { hasText: 'total' });
    await total.click();
    const up = await page.$$eval('#student-table tbody tr td:nth-child(4)', (tds) => tds.map((td) => Number(td.textContent)));
    expect(up).toStrictEqual([...up].sort((a, b) => a - b));
    await total.click();
    const down = await page.$$eval('#student-table tbody tr td:nth-child(4)', (tds) => tds.map((td) => Number(td.textContent)));
    expect(down).toStrictEqual([...up].sort((a, b) => b - a));
    expect(down[0]).toBeGreaterThan(down.at(-1)!);

    await page.fill('#filter', 'onerror');
    expect(await ids()).toStrictEqual([safeId(HOSTILE)]);
    await page.fill('#filter', '');
    await page.selectOption('#status-filter', 'fail');
    expect((await ids()).sort()).toStrictEqual(['bob', 'cat', 'dan']);
    expect(await page.textContent('#shown')).toBe('3 of 5 shown');
    expect(errors).toStrictEqual([]);
  });
});
