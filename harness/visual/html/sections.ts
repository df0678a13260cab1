/** The parts of the HTML report drawn on the server: summary tables, the comparison, one section per timeline. */
import type { Violation } from '../../checker/violation.ts';
import type { CheckResult, GradeReport, StudentGradeReport, TestReport } from '../../report/types.ts';
import { hiddenWorkloadsNote, isGradeReport, isStudentGrade } from '../../report/types.ts';
import { visibleSummary } from '../../report/visible.ts';
import type { Comparison } from '../compare.ts';
import { formatBytes, formatPercent, hex } from '../../util/format.ts';
import { renderHeapMap } from '../../heap-map/heap-map.ts';
import type { Timeline } from '../timeline.ts';
import { html, raw, type Raw } from './escape.ts';

const status = (s: string): Raw => html`<span class="status ${s}">${s}</span>`;

export function violationBox(v: Violation): Raw {
  const where = v.op >= 0 ? `op #${v.op}` : 'before the first op';
  return html`<div class="violation"><span class="kind">${v.kind}</span> at ${where}${v.call ? html`: <code>${v.call}</code>` : ''}
<div>${v.message}</div>${v.hint ? html`<div class="hint">Hint: ${v.hint}</div>` : ''}${
    v.repro ? html`<div class="note">Reproduced by a ${v.repro.length}-operation trace.</div>` : ''
  }</div>`;
}

const isGrade = isGradeReport;

export function reportSummary(r: TestReport | GradeReport | StudentGradeReport): Raw {
  const grade = isGrade(r) ? r : undefined;
  // A student's copy with hidden workloads: no total, no duration (both include them), the visible figures instead.
  const visible = isStudentGrade(r) ? r : undefined;
  const checks = r.checks.map((c) => checkRow(c));
  return html`<p class="meta">Submission <code>${r.submission}</code> ${status(r.status)}${
    grade ? html` &middot; score <b>${grade.score.toFixed(1)}</b> / 100` : ''
  }${grade || !visible ? html` &middot; ${((grade ?? (r as TestReport)).durationMs / 1000).toFixed(1)} s` : ''}</p>
${visible ? html`<p class="note">${visibleSummary(visible.visible, visible.hiddenWorkloads)}</p>` : ''}
${r.error ? html`<div class="violation"><span class="kind">${r.status === 'error' ? 'kit error' : 'load failure'}</span><div>${r.error}</div></div>` : ''}
${checks.length ? html`<h2>Correctness</h2><table><tr><th>check</th><th>status</th><th class="num">points</th><th>first problem</th></tr>${checks}</table>` : ''}
${r.checks.filter((c) => c.status === 'fail' && c.violations[0]).map((c) => checkDetail(c))}
${(grade ?? visible)?.workloads.length ? workloadTable((grade ?? visible)!) : ''}
${visible ? html`<p class="note">${hiddenWorkloadsNote(visible.hiddenWorkloads)}</p>` : ''}`;
}

function checkRow(c: CheckResult): Raw {
  const v = c.violations[0];
  return html`<tr><td>${c.name}</td><td>${status(c.status)}</td><td class="num">${c.points} / ${c.maxPoints}</td><td>${
    v ? html`<b>${v.kind}</b> at op #${v.op}` : (c.error ?? '')
  }</td></tr>`;
}

function checkDetail(c: CheckResult): Raw {
  const v = c.violations[0]!;
  return html`<h3>${c.name}</h3>${violationBox(v)}${c.replay ? html`<p class="note">Replay: <code>${c.replay}</code></p>` : ''}${
    c.snapshot ? html`<pre class="heapmap">${renderHeapMap(c.snapshot, { focus: v })}</pre>` : ''
  }`;
}

function workloadTable(g: Pick<GradeReport, 'workloads'>): Raw {
  const rows = g.workloads.map(
    (w) => html`<tr><td>${w.name}${w.hidden ? ' (hidden)' : ''}</td><td>${status(w.status)}</td><td class="num">${w.ops}</td>
<td class="num">${formatPercent(w.utilization)}</td><td class="num">${formatBytes(w.peakHeap)}</td><td class="num">${w.throughput.toFixed(2)}x</td>
<td>${w.violations[0] ? html`<b>${w.violations[0].kind}</b> at op #${w.violations[0].op}` : (w.reason ?? '')}</td></tr>`,
  );
  return html`<h2>Workloads</h2><table><tr><th>workload</th><th>status</th><th class="num">ops</th><th class="num">utilization</th><th class="num">peak heap</th><th class="num">throughput</th><th>problem</th></tr>${rows}</table>`;
}

export function comparisonTable(c: Comparison): Raw {
  const rows = c.rows.map((r) => {
    const g = r.gaps;
    return html`<tr><td><code>${r.label}</code></td><td>${status(r.status)}</td><td class="num">${formatPercent(r.utilization)}</td>
<td class="num">${formatBytes(r.peakHeap)}</td><td class="num">${r.nulls}</td><td class="num">${g ? formatBytes(g.payload) : '-'}</td>
<td class="num">${g ? formatBytes(g.gapBytes) : '-'}</td><td class="num">${g?.largest ? formatBytes(g.largest.size) : '-'}</td>
<td>${r.violation ? html`<b>${r.violation.kind}</b> at op #${r.violation.op}` : ''}</td></tr>`;
  });
  return html`<h2>Placement comparison: ${c.trace}</h2>
<p class="meta">${c.ops} operations, heap limit ${formatBytes(c.limit)}. Holes measured after op #${c.measuredAt} <code>${c.measuredOp}</code>
(the last allocating operation): the largest gap between consecutive live payloads, or between the last payload and brk.</p>
<table><tr><th>allocator</th><th>status</th><th class="num">utilization</th><th class="num">peak heap</th><th class="num">NULLs</th>
<th class="num">live payload</th><th class="num">gaps</th><th class="num">largest hole</th><th>problem</th></tr>${rows}</table>`;
}

export function timelineSection(name: string, t: Timeline, index: number, violation: Violation | undefined): Raw {
  const v = violation ?? t.violation;
  const sampled = t.sampling.merged
    ? html`<p class="note">${t.sampling.blocks} block lifetimes drawn as ${t.sampling.rects} rectangles: short-lived neighbours are merged (blue-grey).</p>`
    : '';
  return html`<section class="workload" id="timeline-${index}"><h2>${name} ${status(v ? 'fail' : 'pass')}</h2>
<div class="stats"><div><b>${formatPercent(t.utilization)}</b>utilization</div><div><b>${formatBytes(t.peakHeap)}</b>peak heap</div>
<div><b>${formatBytes(t.peakPayload)}</b>peak live payload</div><div><b>${t.shownOps}${t.shownOps < t.totalOps ? ` of ${t.totalOps}` : ''}</b>operations</div>
<div><b>${hex(t.base)}</b>heap base</div></div>
${v ? violationBox(v) : ''}
<h3>Heap over time</h3>
<div class="chart"><canvas class="timeline" data-timeline="${index}" role="img" aria-label="live blocks by address over operations for ${name}"></canvas><div class="tooltip"></div></div>
<div class="legend">x: operation, y: address above base. Each coloured rectangle is a live block from its malloc to its free; the black line is the heap extent (brk).${
    v ? raw(' <span class="sw" style="background:#c62828"></span>the failing operation and its block<span class="sw" style="background:#8e24aa"></span>the other block involved') : ''
  }</div>${sampled}
<h3>Heap extent and live payload</h3>
<div class="chart"><canvas class="curves" data-timeline="${index}" role="img" aria-label="heap extent and live payload for ${name}"></canvas></div>
<div class="legend"><span class="sw" style="background:#1565c0"></span>heap extent (brk - base)<span class="sw" style="background:rgba(46,125,50,0.35)"></span>live payload; utilization = peak payload / peak extent</div>
${t.heapMap ? html`<h3>The heap at the violation</h3><pre class="heapmap">${t.heapMap}</pre>` : ''}
</section>`;
}
