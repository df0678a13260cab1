/**
 * One self-contained HTML file: inline CSS and JavaScript, the data as
 * embedded JSON, charts drawn on <canvas>. No network, no external fonts,
 * so it opens from an email attachment or a CI artifact as it is.
 * Every interpolated value is escaped (escape.ts); on top of that the
 * Content-Security-Policy (document.ts) allows only the kit's own script.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../../util/atomic-write.ts';
import type { Violation } from '../../checker/violation.ts';
import type { GradeReport, StudentGradeReport, TestReport } from '../../report/types.ts';
import type { Comparison } from '../compare.ts';
import type { Timeline } from '../timeline.ts';
import { selfContainedPage } from './document.ts';
import { html, jsonForScript, raw } from './escape.ts';
import { comparisonTable, reportSummary, timelineSection } from './sections.ts';

export interface HtmlTimelineEntry {
  /** The workload or trace name shown as the section title. */
  name: string;
  timeline: Timeline;
  /** The violation to highlight (defaults to the one the timeline recorded). */
  violation?: Violation;
}

export interface HtmlReportData {
  title: string;
  /** A test or grade report: drawn as the summary tables at the top. */
  report?: GradeReport | TestReport | StudentGradeReport;
  /** A placement comparison (`heapgrade compare --html`). */
  comparison?: Comparison;
  /** One heap-over-time section each, in order. */
  timelines: HtmlTimelineEntry[];
  /** Shown under the title; left out by default so the file is reproducible. */
  generatedAt?: string;
}

const asset = (name: string): string => readFileSync(new URL(`./assets/${name}`, import.meta.url), 'utf8');
let assets: { css: string; js: string } | undefined;

export function renderHtmlReport(data: HtmlReportData): string {
  assets ??= { css: asset('report.css'), js: asset('report.js') };
  // The page script reads only what it draws; the tables are already HTML.
  const embedded = { timelines: data.timelines.map((e) => ({ name: e.name, timeline: { ...e.timeline, heapMap: undefined, snapshot: undefined, violation: e.violation ?? e.timeline.violation } })) };
  const sections = data.timelines.map((e, i) => timelineSection(e.name, e.timeline, i, e.violation));
  const body = html`${data.generatedAt ? html`<p class="meta">Generated ${data.generatedAt}</p>` : ''}
<noscript><p class="meta">The charts need JavaScript; the tables and heap maps below do not.</p></noscript>
${data.report ? reportSummary(data.report) : ''}
${data.comparison ? comparisonTable(data.comparison) : ''}
${sections}
<script type="application/json" id="heapgrade-data">${raw(jsonForScript(embedded))}</script>`;
  return selfContainedPage({ title: data.title, ...assets, body });
}

export async function writeHtmlReport(path: string, data: HtmlReportData): Promise<void> {
  await writeFileAtomic(path, renderHtmlReport(data));
}
