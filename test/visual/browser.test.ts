/**
 * The HTML report in a real headless Chromium (Debian's `chromium`, driven
 * by playwright-core): it loads without errors, the canvases are drawn, and
 * a screenshot is saved. Skipped, with a message, only when Chromium is not
 * installed (`apt-get install -y chromium`; .ci/run installs it).
 */
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { loadSubmission } from '../../harness/loader/load.ts';
import { writeHtmlReport, type HtmlReportData } from '../../harness/visual/html/report.ts';
import { recordTimeline } from '../../harness/visual/timeline.ts';
import { failingReportData } from '../fixtures/visual/report-data.ts';
import { churnTrace } from '../fixtures/visual/traces.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) console.warn(`browser tests skipped: ${CHROMIUM} not found (install it with: apt-get install -y chromium)`);

interface PageResult {
  errors: string[];
  /** Per canvas: its class and the share of its pixels that are drawn (not transparent, not white). */
  canvases: { cls: string; inked: number }[];
  renderMs: number;
  screenshot: string;
}

describe.skipIf(!haveChromium)('HTML report in headless Chromium', () => {
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), 'heapgrade-browser-'));

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  async function open(file: string): Promise<PageResult> {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('request', (r) => {
      if (!r.url().startsWith('file:')) errors.push(`network request: ${r.url()}`);
    });
    const started = Date.now();
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('html[data-rendered="true"]', { timeout: 20_000 });
    const renderMs = Date.now() - started;
    const canvases = await page.evaluate(() =>
      [...document.querySelectorAll('canvas')].map((c) => {
        const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let inked = 0;
        for (let i = 0; i < px.length; i += 4) if (px[i + 3]! > 0 && (px[i]! < 245 || px[i + 1]! < 245 || px[i + 2]! < 245)) inked++;
        return { cls: c.className, inked: inked / (px.length / 4) };
      }),
    );
    const screenshot = file.replace(/\.html$/, '.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    await page.close();
    return { errors, canvases, renderMs, screenshot };
  }

  it('draws the failing fixture report without errors', async () => {
    // Arrange
    const file = join(dir, 'failing.html');
    await writeHtmlReport(file, failingReportData());
    // Act
    const r = await open(file);
    // Assert
    expect(r.errors).toEqual([]);
    expect(r.canvases.map((c) => c.cls)).toEqual(['timeline', 'curves']);
    for (const c of r.canvases) expect(c.inked).toBeGreaterThan(0.01);
    expect(statSync(r.screenshot).size).toBeGreaterThan(10_000);
    console.log(`screenshot: ${r.screenshot}`);
  }, 60_000);

  it('opens a 100,000-operation trace: small file, drawn, no errors', async () => {
    // Arrange
    const ref = await loadSubmission('ref:reference');
    const trace = churnTrace(100_000);
    const timeline = recordTimeline(ref, trace);
    const data: HtmlReportData = { title: 'heapgrade: 100,000 operations', timelines: [{ name: trace.name, timeline }] };
    const file = join(dir, 'churn-100k.html');
    await writeHtmlReport(file, data);
    const bytes = statSync(file).size;
    // Act
    const r = await open(file);
    // Assert
    expect(r.errors).toEqual([]);
    expect(timeline.sampling.blocks).toBeGreaterThan(45_000);
    expect(bytes).toBeLessThan(1_500_000); // the downsampling cap, not a speed measurement
    for (const c of r.canvases) expect(c.inked).toBeGreaterThan(0.01);
    console.log(
      `100k-op report: ${(bytes / 1024).toFixed(0)} KB, ${timeline.sampling.blocks} blocks as ${timeline.sampling.rects} rectangles, ` +
        `${timeline.sampling.points} points; load + draw ${r.renderMs} ms; screenshot: ${r.screenshot}`,
    );
  }, 120_000);
});
