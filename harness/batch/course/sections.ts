/** The sections of the course page, each from one part of the course summary (summary.ts); every name through escape.ts. */
import { html, raw, type Raw } from '../../visual/html/escape.ts';
import { histogramSvg, scatterSvg } from './charts.ts';
import type { CourseDiff } from './diff.ts';
import { formatCause, formatDelta, formatStanding } from './diff-text.ts';
import type { ReasonGroup } from './load-failures.ts';
import type { StudentLink } from './links.ts';
import type { CourseSummary } from './summary.ts';

/** Ids listed in a group before "and N more" (the table has every one). */
const IDS_SHOWN = 12;
const num = (x: number | undefined, digits = 1): string => (x === undefined ? '' : x.toFixed(digits));
const pct = (a: number, b: number): string => (b === 0 ? '-' : `${((a / b) * 100).toFixed(0)}%`);

export function studentName(id: string, link: StudentLink): Raw {
  const href = link(id);
  return href ? html`<a href="${href}">${id}</a>` : html`<span>${id}</span>`;
}

function idList(ids: readonly string[], link: StudentLink): Raw {
  const shown = ids.slice(0, IDS_SHOWN).map((id, i) => html`${i ? ', ' : ''}${studentName(id, link)}`);
  return html`${shown}${ids.length > IDS_SHOWN ? ` and ${ids.length - IDS_SHOWN} more` : ''}`;
}

/** Kit errors and mixed protections: what must be dealt with before the grades are published. */
export function callouts(s: CourseSummary, link: StudentLink): Raw {
  const kit = s.kitErrors.length
    ? html`<div class="callout bad" id="kit-errors"><b>${s.kitErrors.length} submission${s.kitErrors.length > 1 ? 's' : ''} hit a kit error</b> (the kit's failure, not a score: re-grade with <code>--resume --retry-errors</code>)<ul>${s.kitErrors.map(
        (k) => html`<li>${studentName(k.id, link)}: ${k.detail}</li>`,
      )}</ul></div>`
    : '';
  const mixed = s.protections.length > 1
    ? html`<div class="callout warn" id="protections-differ"><b>Not every submission ran with the same protections</b><ul>${s.protections.map(
        (g) => html`<li><b>${g.ids.length}</b>: ${g.reason} &mdash; ${idList(g.ids, link)}</li>`,
      )}</ul></div>`
    : s.protections[0]
      ? html`<p class="meta" id="protections">Every submission ran with ${s.protections[0].reason}</p>`
      : '';
  return html`${kit}${mixed}`;
}

export function distributionSection(s: CourseSummary): Raw {
  const d = s.distribution;
  const line = d.passLine
    ? d.passLine.source === 'given'
      ? html`the pass line (${num(d.passLine.score)}) as given`
      : html`the lowest total of a passing submission (${num(d.passLine.score)}; give <code>--pass-line</code> to draw your own)`
    : '';
  return html`<h2 id="distribution">Score distribution</h2>
<p class="meta">${d.scored} scored submission${d.scored === 1 ? '' : 's'} out of ${d.max}${d.median === undefined ? '' : html`, median <b>${num(d.median)}</b>`}. Green: pass, red: fail${line ? html`; the dashed line is ${line}` : ''}. Kit errors have no score and are left out.</p>
<div class="chart">${histogramSvg(d)}</div>`;
}

export function checksSection(s: CourseSummary, link: StudentLink): Raw {
  if (!s.checks.length) return html``;
  const rows = s.checks.map((c) => {
    const mistakes = c.mistakes.map(
      (m) => html`<div class="mistake"><b>${m.kind}</b> &times;${m.count} &mdash; e.g. ${studentName(m.example.id, link)}${m.example.message ? html`: ${m.example.message}` : ''}${
        m.example.lines.length
          ? html`<pre class="repro">${m.example.lines.join('\n')}${m.example.reproLength > m.example.lines.length ? `\n... (${m.example.reproLength} calls in all)` : ''}</pre>`
          : ''
      }</div>`,
    );
    return html`<tr><td>${c.name}</td><td class="num">${pct(c.passed, c.ran)}</td><td class="num">${c.passed} / ${c.ran}</td><td>${mistakes}</td></tr>`;
  });
  return html`<h2 id="checks">Correctness checks</h2>
<table class="checks"><tr><th>check</th><th class="num">pass rate</th><th class="num">passed</th><th>most common mistakes (first problem per student), with one student's minimal repro</th></tr>${rows}</table>`;
}

export function workloadsSection(s: CourseSummary): Raw {
  if (!s.workloads.length) return html``;
  const charts = s.workloads.map(
    (w) => html`<section class="workload"><h3>${w.name}${w.hidden ? raw(' <span class="badge hidden">hidden</span>') : ''}</h3>
<p class="meta">${w.points.length} student${w.points.length === 1 ? '' : 's'}${w.hidden ? '; hidden from students until grades are published' : ''}. Red points failed the workload.</p>
<div class="chart">${scatterSvg(w)}</div></section>`,
  );
  return html`<h2 id="workloads">Workloads: utilization against speed</h2><p class="meta">One point per student; speed is relative to the reference allocator, whose speed is the line at 1x.</p>${charts}`;
}

function groups(title: string, id: string, note: string, gs: readonly ReasonGroup[], link: StudentLink): Raw {
  if (!gs.length) return html``;
  const auto = gs.some((g) => g.profiles);
  const rows = gs.map(
    (g) => html`<tr><td class="num">${g.ids.length}</td><td><code>${g.reason}</code></td>${
      auto ? html`<td>${(g.profiles ?? []).map((p, i) => html`${i ? ', ' : ''}${p.name} (${p.count})`)}</td>` : ''
    }<td>${idList(g.ids, link)}</td></tr>`,
  );
  return html`<h2 id="${id}">${title}</h2><p class="meta">${note}</p><table><tr><th class="num">students</th><th>reason</th>${auto ? html`<th>profile picked by auto</th>` : ''}<th>who</th></tr>${rows}</table>`;
}

/** Which profile `auto` picked, for how many: a course whose handout is one profile should see one line. */
export function autoProfileLine(s: CourseSummary, link: StudentLink): Raw {
  if (!s.autoProfiles.length) return html``;
  // Who, for every pick but the most common one: the exceptions are what a TA checks.
  const parts = s.autoProfiles.map((g, i) => html`${i ? '; ' : ''}<b>${g.reason}</b> for ${g.ids.length}${i > 0 ? html` (${idList(g.ids, link)})` : ''}`);
  return html`<p class="meta" id="auto-profiles">Profile <code>auto</code> picked ${parts}.</p>`;
}

export function failuresSection(s: CourseSummary, link: StudentLink): Raw {
  return html`${groups('Did not load', 'not-loaded', 'Grouped by the first error line (compile errors without their file and position).', s.notLoaded, link)}${groups(
    'Did not finish',
    'not-finished',
    'Stopped by a limit or by the kit\u2019s rules, grouped by outcome.',
    s.notFinished,
    link,
  )}`;
}

/** Every student: sortable by any column, filtered by text and status (assets/course.js). */
/** Characters of a row's detail shown (a compiler's whole output is in the student's report). */
const DETAIL_CHARS = 160;
const shortDetail = (d: string): string => (d.length <= DETAIL_CHARS ? d : `${d.slice(0, DETAIL_CHARS - 1)}…`);

export function studentsTable(s: CourseSummary, link: StudentLink): Raw {
  const grade = s.mode === 'grade';
  const rows = s.students.map(
    (r) => html`<tr data-status="${r.status}"><td data-v="${r.id}">${studentName(r.id, link)}</td><td data-v="${r.status}"><span class="status ${r.status}">${r.status}</span></td><td data-v="${r.outcome}">${r.outcome}</td><td class="num" data-v="${r.total ?? -1}">${num(r.total, 2)}</td>${
      grade
        ? html`<td class="num" data-v="${r.correctness ?? -1}">${num(r.correctness)}</td><td class="num" data-v="${r.utilization ?? -1}">${num(r.utilization)}</td><td class="num" data-v="${r.throughput ?? -1}">${num(r.throughput)}</td>`
        : ''
    }<td class="detail" data-v="${shortDetail(r.detail)}">${shortDetail(r.detail)}</td></tr>`,
  );
  const head = (label: string, type: 'text' | 'num'): Raw => html`<th class="${type === 'num' ? 'num ' : ''}sortable" data-type="${type}" tabindex="0">${label}</th>`;
  return html`<h2 id="students">Students</h2>
<p class="meta">${grade ? 'Points out of 100: checks (correctness), util. (utilization) and speed add up to the total. ' : ''}Click a heading to sort.</p>
<div class="filters"><label>Filter <input type="search" id="filter" placeholder="id, outcome or detail"></label> <label>Status <select id="status-filter"><option value="">all</option><option>pass</option><option>fail</option><option>error</option></select></label> <span id="shown" class="meta">${s.students.length} of ${s.students.length} shown</span></div>
<table id="student-table"><thead><tr>${head('student', 'text')}${head('status', 'text')}${head('outcome', 'text')}${head('total', 'num')}${
    grade ? html`${head('checks', 'num')}${head('util.', 'num')}${head('speed', 'num')}` : ''
  }${head('detail', 'text')}</tr></thead><tbody>${raw(rows.map((r) => r.html).join(''))}</tbody></table>`;
}

export function diffSection(d: CourseDiff, oldLabel: string, link: StudentLink): Raw {
  const rows = d.changed.map(
    (c) => html`<tr><td>${studentName(c.id, link)}</td><td>${formatStanding(c.old)}</td><td>${formatStanding(c.new)}</td><td class="num">${formatDelta(c)}</td><td>${c.causes.map((k) => html`<div>${formatCause(k)}</div>`)}</td></tr>`,
  );
  return html`<h2 id="changes">What changed since ${oldLabel}</h2>
<p class="meta">${d.changed.length} of ${d.compared} students moved${d.added.length ? `; ${d.added.length} new` : ''}${d.removed.length ? `; ${d.removed.length} no longer in the batch` : ''}.</p>
${d.changed.length ? html`<table class="changes"><tr><th>student</th><th>before</th><th>now</th><th class="num">change</th><th>caused by</th></tr>${rows}</table>` : ''}${
    d.added.length ? html`<p>New: ${idList(d.added, link)}</p>` : ''
  }${d.removed.length ? html`<p>No longer in the batch: ${idList(d.removed, () => undefined)}</p>` : ''}`;
}
