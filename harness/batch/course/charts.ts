/**
 * The course page's charts as inline SVG, drawn on the server: they need no
 * script, scale with the page, print, and their structure (one <rect> per
 * bar, one <circle> per student) is what the browser test checks. Every
 * label that can hold a student's name goes through the escaping template.
 */
import { html, raw, type Raw } from '../../visual/html/escape.ts';
import type { Distribution } from './distribution.ts';
import type { WorkloadSummary } from './summary.ts';

const W = 640;
const H = 240;
const PAD = { left: 44, right: 16, top: 14, bottom: 34 };
const PW = W - PAD.left - PAD.right;
const PH = H - PAD.top - PAD.bottom;
const f1 = (x: number): string => x.toFixed(1);

function frame(ticksX: Raw[], ticksY: Raw[], xLabel: string, yLabel: string): Raw {
  return html`<line class="axis" x1="${PAD.left}" y1="${PAD.top + PH}" x2="${PAD.left + PW}" y2="${PAD.top + PH}"/><line class="axis" x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${PAD.top + PH}"/>${ticksX}${ticksY}
<text class="label" x="${PAD.left + PW / 2}" y="${H - 4}" text-anchor="middle">${xLabel}</text><text class="label" x="12" y="${PAD.top + PH / 2}" text-anchor="middle" transform="rotate(-90 12 ${PAD.top + PH / 2})">${yLabel}</text>`;
}

function vline(cls: string, x: number, label: string): Raw {
  return html`<g class="${cls}"><line x1="${f1(x)}" y1="${PAD.top}" x2="${f1(x)}" y2="${PAD.top + PH}"/><text x="${f1(x + 4)}" y="${PAD.top + 10}">${label}</text></g>`;
}

/** Ten bars from 0 to the highest total, failing submissions stacked on passing ones; the median and the pass line as vertical lines. */
export function histogramSvg(d: Distribution): Raw {
  const x = (score: number): number => PAD.left + (score / d.max) * PW;
  const tallest = Math.max(1, ...d.bins.map((b) => b.pass + b.fail));
  const y = (n: number): number => PAD.top + PH - (n / tallest) * PH;
  const bars = d.bins.map((b) => {
    const x0 = x(b.from) + 1;
    const w = Math.max(1, x(b.to) - x(b.from) - 2);
    const title = `${f1(b.from)}-${f1(b.to)}: ${b.pass} pass, ${b.fail} fail`;
    return html`<rect class="bar pass" x="${f1(x0)}" y="${f1(y(b.pass))}" width="${f1(w)}" height="${f1(PH - (y(b.pass) - PAD.top))}"><title>${title}</title></rect><rect class="bar fail" x="${f1(x0)}" y="${f1(y(b.pass + b.fail))}" width="${f1(w)}" height="${f1(y(b.pass) - y(b.pass + b.fail))}"><title>${title}</title></rect>`;
  });
  const ticksX = d.bins.map((b) => html`<text class="tick" x="${f1(x(b.from))}" y="${PAD.top + PH + 14}" text-anchor="middle">${Number(b.from.toFixed(1))}</text>`);
  ticksX.push(html`<text class="tick" x="${f1(x(d.max))}" y="${PAD.top + PH + 14}" text-anchor="middle">${d.max}</text>`);
  const ticksY = [0, Math.ceil(tallest / 2), tallest].map((n) => html`<text class="tick" x="${PAD.left - 6}" y="${f1(y(n) + 4)}" text-anchor="end">${n}</text>`);
  const median = d.median === undefined ? '' : vline('median', x(d.median), `median ${f1(d.median)}`);
  const pass = d.passLine === undefined ? '' : vline('pass-line', x(d.passLine.score), d.passLine.source === 'given' ? `pass line ${f1(d.passLine.score)}` : `lowest pass ${f1(d.passLine.score)}`);
  return html`<svg class="histogram" viewBox="0 0 ${W} ${H}" role="img" aria-label="score distribution">${frame(ticksX, ticksY, 'total score', 'submissions')}${bars}${median}${pass}</svg>`;
}

/** Utilization (y) against speed relative to the reference (x), one point per student; the reference's speed (1x) as a line. */
export function scatterSvg(w: WorkloadSummary): Raw {
  const maxX = Math.max(2, ...w.points.map((p) => p.throughput)) * 1.05;
  const x = (s: number): number => PAD.left + (Math.min(s, maxX) / maxX) * PW;
  const y = (u: number): number => PAD.top + PH - Math.min(1, Math.max(0, u)) * PH;
  const points = w.points.map(
    // The label as an attribute, shown by the page script on hover: a <title> per point doubled the elements a 1,000-student page parses.
    (p) => html`<circle class="pt ${p.status}" cx="${f1(x(p.throughput))}" cy="${f1(y(p.utilization))}" r="3.5" data-tip="${p.id}: utilization ${(p.utilization * 100).toFixed(1)}%, speed ${p.throughput.toFixed(2)}x"/>`,
  );
  const stepX = maxX > 8 ? Math.ceil(maxX / 4) : maxX > 4 ? 1 : 0.5;
  const ticksX: Raw[] = [];
  for (let s = 0; s <= maxX; s += stepX) ticksX.push(html`<text class="tick" x="${f1(x(s))}" y="${PAD.top + PH + 14}" text-anchor="middle">${Number(s.toFixed(1))}x</text>`);
  const ticksY = [0, 0.5, 1].map((u) => html`<text class="tick" x="${PAD.left - 6}" y="${f1(y(u) + 4)}" text-anchor="end">${u * 100}%</text>`);
  return html`<svg class="scatter${w.hidden ? ' hidden-workload' : ''}" data-workload="${w.name}" viewBox="0 0 ${W} ${H}" role="img" aria-label="utilization against speed for ${w.name}">${frame(ticksX, ticksY, 'speed relative to the reference allocator', 'utilization')}${vline('reference', x(1), 'reference (1x)')}${raw(points.map((p) => p.html).join(''))}</svg>`;
}
