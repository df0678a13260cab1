import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderHtmlReport, writeHtmlReport } from '../../harness/visual/html/report.ts';
import { failingReportData } from '../fixtures/visual/report-data.ts';

describe('renderHtmlReport', () => {
  it('puts the violation, its heap map and the timeline data in one self-contained page', () => {
    // Act
    const page = renderHtmlReport(failingReportData());
    // Assert
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(page).toContain('<span class="kind">overlap</span> at op #5');
    expect(page).toContain('b4 = malloc(48)');
    expect(page).toContain('Heap map at op #5 overlap');
    expect(page).toContain('<canvas class="timeline" data-timeline="0"');
    // No network: nothing is loaded from anywhere.
    expect(page).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(page).not.toMatch(/@import|url\(/);
    // A hostile name cannot close the script or inject markup.
    expect(page).not.toContain('</script><b>');
    expect(page).toContain('reuse-without-unlink &lt;/script&gt;&lt;b&gt;');
    const json = page.match(/<script type="application\/json" id="heapgrade-data">(.*?)<\/script>/s)![1]!;
    const data = JSON.parse(json) as { timelines: { timeline: { violation: { kind: string }; rects: unknown[] } }[] };
    expect(data.timelines[0]!.timeline.violation.kind).toBe('overlap');
    expect(data.timelines[0]!.timeline.rects.length).toBeGreaterThan(0);
  });

  it('writes the file, creating its folder', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'heapgrade-html-')), 'sub', 'report.html');
    await writeHtmlReport(path, failingReportData());
    expect(readFileSync(path, 'utf8')).toContain('</html>');
  });
});
