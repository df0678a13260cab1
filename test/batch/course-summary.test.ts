/**
 * The course summary and "what changed", computed from journal entries
 * (harness/batch/course): distribution, mistakes with examples, load
 * failures grouped by their first error line, protections, and the diff of
 * two runs. The page itself, from real batches in Chromium, is in
 * test/batch/course-page.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { diffCourses } from '../../harness/batch/course/diff.ts';
import { formatDiffText } from '../../harness/batch/course/diff-text.ts';
import { medianOf } from '../../harness/batch/course/distribution.ts';
import { loadFailureReason } from '../../harness/batch/course/load-failures.ts';
import { renderCoursePage } from '../../harness/batch/course/page.ts';
import { courseSummary } from '../../harness/batch/course/summary.ts';
import type { GradingPlan } from '../../harness/plan/types.ts';
import { isGradeReport } from '../../harness/report/types.ts';
import { CHECKS, entry, gradeReport, syntheticCourse, WEAKER, WORKLOADS } from '../fixtures/batch/synthetic-course.ts';

const pass = (name: string, points = 3) => ({ name, description: name, points, maxPoints: 3, status: 'pass' as const, violations: [], ops: 1, durationMs: 1 });
const fail = (name: string, kind: 'overlap' | 'misaligned', calls: number) => ({
  ...pass(name, 0),
  status: 'fail' as const,
  violations: [{ kind, op: 0, message: `${kind}!`, repro: Array.from({ length: calls }, (_, i) => ({ kind: 'a' as const, id: i, size: 8 * (i + 1) })) }],
});

describe('courseSummary', () => {
  it('bins every scored submission, leaves kit errors out, and finds the median and the lowest pass', () => {
    // Arrange
    const course = syntheticCourse(300, 7);
    // Act
    const s = courseSummary(course);
    // Assert
    const scored = course.filter((e) => e.result.status !== 'error');
    const totals = s.students.filter((r) => r.status !== 'error').map((r) => r.total!);
    expect(s.distribution.bins.reduce((n, b) => n + b.pass + b.fail, 0)).toBe(scored.length);
    expect(s.distribution.scored).toBe(scored.length);
    expect(s.distribution.median).toBe(medianOf(totals));
    const lowestPass = Math.min(...s.students.filter((r) => r.status === 'pass').map((r) => r.total!));
    expect(s.distribution.passLine).toStrictEqual({ score: lowestPass, source: 'lowest-pass' });
    expect(courseSummary(course, { passLine: 60 }).distribution.passLine).toStrictEqual({ score: 60, source: 'given' });
    expect(s.kitErrors.map((k) => k.id)).toStrictEqual(course.filter((e) => e.result.status === 'error').map((e) => e.id));
    expect(s.students).toHaveLength(300);
  });

  it('counts pass rates and the most common mistake per check, with the first student showing it and the repro\'s first lines', () => {
    // Arrange: ann and cy break `alignment` the same way, bo another way; dee's kit error counts nowhere.
    const course = [
      entry('ann', { outcome: 'graded', status: 'fail', report: gradeReport('ann', [fail('alignment', 'misaligned', 6), pass('churn')], [], 40) }),
      entry('bo', { outcome: 'graded', status: 'fail', report: gradeReport('bo', [fail('alignment', 'overlap', 2), pass('churn')], [], 40) }),
      entry('cy', { outcome: 'graded', status: 'fail', report: gradeReport('cy', [fail('alignment', 'misaligned', 3), fail('churn', 'overlap', 1)], [], 10) }),
      entry('dee', { outcome: 'kit-error', status: 'error', report: gradeReport('dee', [fail('alignment', 'overlap', 1)], [], 0) }),
      entry('eve', { outcome: 'graded', status: 'pass', report: gradeReport('eve', [pass('alignment'), pass('churn')], [], 90) }),
    ];
    // Act
    const [alignment, churn] = courseSummary(course).checks;
    // Assert
    expect(alignment).toMatchObject({ name: 'alignment', ran: 4, passed: 1 });
    expect(alignment!.mistakes.map((m) => [m.kind, m.count, m.example.id])).toStrictEqual([
      ['misaligned', 2, 'ann'],
      ['overlap', 1, 'bo'],
    ]);
    expect(alignment!.mistakes[0]!.example).toMatchObject({ lines: ['b0 = malloc(8)', 'b1 = malloc(16)', 'b2 = malloc(24)', 'b3 = malloc(32)'], reproLength: 6, message: 'misaligned!' });
    expect(churn).toMatchObject({ ran: 4, passed: 3, mistakes: [{ kind: 'overlap', count: 1 }] });
  });

  it('groups submissions that did not load by their first error line, whatever file and line it names', () => {
    // Arrange
    const compile = (id: string, line: number) => `/subs/${id}/mm.c did not compile:\nmm.c:${line}:5: error: use of undeclared identifier 'heap_listp'\n1 error generated.`;
    const failed = (id: string, error: string) => entry(id, { outcome: 'load-failed', status: 'fail', spec: error.split(/:? /)[0]!, detail: error, report: { ...gradeReport(id, [], [], 0), error } });
    const course = [
      failed('a', compile('a', 10)),
      failed('b', compile('b', 77)),
      failed('c', `/subs/c.ts: no allocator factory found (it exports \`answer\`).\nFix: export the factory`),
      failed('d', `/subs/d.ts: no allocator factory found (it exports \`answer\`).\nFix: export the factory`),
      failed('e', `/subs/e/mm.c did not compile:\nmm.c:3:10: fatal error: 'list.h' file not found`),
    ];
    // Act
    const s = courseSummary(course);
    // Assert
    // Largest group first, ties by reason.
    expect(s.notLoaded).toStrictEqual([
      { reason: '<submission>: no allocator factory found (it exports `answer`).', ids: ['c', 'd'] },
      { reason: "error: use of undeclared identifier 'heap_listp'", ids: ['a', 'b'] },
      { reason: "error: 'list.h' file not found", ids: ['e'] },
    ]);
    expect(loadFailureReason('/home/x/subs/z.ts: no allocator factory found')).toBe('<path>: no allocator factory found');
  });

  it('says which profile `auto` picked, per group of load failures and for the course', () => {
    // Arrange
    // Only the plan's `detection` matters here; a real plan is built in test/batch/course-page.test.ts.
    const plan = (profile: string) => ({ profile, detection: { profile, reasons: ['a sign'] } }) as unknown as GradingPlan;
    const failed = (id: string, profile: string) => entry(id, { outcome: 'load-failed', status: 'fail', detail: 'x.c:1:1: error: boom', report: { ...gradeReport(id, [], [], 0), error: 'x.c:1:1: error: boom' }, plan: plan(profile) });
    const graded = (id: string, profile: string) => entry(id, { outcome: 'graded', status: 'pass', report: gradeReport(id, [pass('churn')], [], 90), plan: plan(profile) });
    // Act
    const s = courseSummary([failed('a', 'cs341'), failed('b', 'malloclab-2016'), failed('c', 'cs341'), graded('d', 'malloclab-2016'), graded('e', 'malloclab-2016')]);
    // Assert
    expect(s.notLoaded).toStrictEqual([{ reason: 'error: boom', ids: ['a', 'b', 'c'], profiles: [{ name: 'cs341', count: 2 }, { name: 'malloclab-2016', count: 1 }] }]);
    expect(s.autoProfiles).toStrictEqual([{ reason: 'malloclab-2016', ids: ['b', 'd', 'e'] }, { reason: 'cs341', ids: ['a', 'c'] }]);
    expect(courseSummary(syntheticCourse(20)).autoProfiles).toStrictEqual([]);
  });

  it('groups the protections submissions ran with, leaving out those that never started a child', () => {
    // Arrange
    const course = syntheticCourse(200, 3);
    // Act
    const s = courseSummary(course);
    // Assert
    const weaker = course.filter((e) => e.result.protections === WEAKER).map((e) => e.id);
    expect(weaker.length).toBeGreaterThan(0);
    expect(s.protections).toHaveLength(2);
    expect(s.protections.find((g) => g.reason.includes('OS sandbox none'))!.ids).toStrictEqual(weaker);
    expect(s.protections.reduce((n, g) => n + g.ids.length, 0)).toBe(course.filter((e) => e.result.protections).length);
    expect(s.workloads.map((w) => [w.name, w.hidden])).toStrictEqual(WORKLOADS.map((w) => [w.name, w.hidden]));
    expect(s.checks.map((c) => c.name)).toStrictEqual(CHECKS);
  });
});

describe('diffCourses', () => {
  it('lists exactly the students whose status or total moved, with the checks and workloads that moved them', () => {
    // Arrange: in the new run `alignment` is worth 5 points and one workload weighs 2.
    const older = syntheticCourse(120, 5);
    const newer = older.map((e) => {
      const r = e.result.report;
      if (e.result.status === 'error' || !isGradeReport(r) || e.result.outcome !== 'graded') return e;
      const checks = r.checks.map((c) => (c.name === 'alignment' && c.status === 'pass' ? { ...c, points: 5, maxPoints: 5 } : c));
      const gained = checks.reduce((n, c) => n + c.points, 0) - r.checks.reduce((n, c) => n + c.points, 0);
      const workloads = r.workloads.map((w) => (w.name === 'binary' ? { ...w, weight: 2 } : w));
      return { ...e, result: { ...e.result, report: { ...r, checks, workloads, score: r.score + gained } } };
    });
    // Act
    const d = diffCourses(older, newer.slice(1).concat(entry('new-kid', { outcome: 'timeout', status: 'fail' })));
    // Assert
    const moved = older.slice(1).filter((e) => e.result.report?.checks.some((c) => c.name === 'alignment' && c.status === 'pass') && e.result.outcome === 'graded' && e.result.status !== 'error');
    expect(moved.length).toBeGreaterThan(10);
    expect(d.changed.map((c) => c.id).sort()).toStrictEqual(moved.map((e) => e.id).sort());
    for (const c of d.changed) {
      expect(c.delta).toBeCloseTo(2, 9);
      expect(c.causes).toStrictEqual([
        { kind: 'check', name: 'alignment', old: { points: 3, status: 'pass' }, new: { points: 5, status: 'pass' } },
        { kind: 'workload', name: 'binary', changes: ['weight 1 → 2'] },
      ]);
    }
    expect(d).toMatchObject({ compared: 119, added: ['new-kid'], removed: [older[0]!.id] });
    const text = formatDiffText(d, { old: 'old', new: 'new' });
    expect(text).toContain(`${moved.length} of 119 students moved (${moved.length} up, 0 down, 0 status only); 1 added, 1 removed`);
    expect(text).toContain('check alignment: 3 (pass) → 5 (pass)');
  });

  it('reports a status change with no total on one side (a kit error) as a move', () => {
    // Arrange
    const a = entry('x', { outcome: 'graded', status: 'pass', report: gradeReport('x', [pass('churn')], [], 80) });
    const b = entry('x', { outcome: 'kit-error', status: 'error' });
    // Act
    const d = diffCourses([a], [b]);
    // Assert
    expect(d.changed).toHaveLength(1);
    expect(d.changed[0]).toMatchObject({ old: { status: 'pass', total: 80 }, new: { status: 'error', outcome: 'kit-error' } });
    expect(d.changed[0]!.delta).toBeUndefined();
  });
});

describe('renderCoursePage', () => {
  it('calls out kit errors and mixed protections at the top, and says so plainly when all ran alike', () => {
    // Arrange
    const mixed = syntheticCourse(200, 3);
    const alike = mixed.filter((e) => e.result.status !== 'error' && e.result.protections !== WEAKER);
    const link = () => undefined;
    // Act
    const top = (page: string) => page.slice(0, page.indexOf('id="distribution"'));
    const mixedTop = top(renderCoursePage(courseSummary(mixed), { title: 'T', link }));
    const alikeTop = top(renderCoursePage(courseSummary(alike), { title: 'T', link }));
    // Assert
    const errors = mixed.filter((e) => e.result.status === 'error').length;
    expect(mixedTop).toContain(`<b>${errors} submissions hit a kit error</b>`);
    expect(mixedTop).toContain('id="protections-differ"');
    expect(mixedTop).toContain('OS sandbox none');
    expect(alikeTop).not.toContain('kit-errors');
    expect(alikeTop).not.toContain('protections-differ');
    expect(alikeTop).toContain('<p class="meta" id="protections">Every submission ran with protections: OS sandbox bubblewrap');
  });

  it('escapes a hostile id in text, titles and links', () => {
    // Arrange
    const id = '<img src=x onerror=alert(1)>"&';
    const course = [entry(id, { outcome: 'graded', status: 'fail', report: gradeReport(id, [fail('alignment', 'overlap', 2)], [], 10) })];
    // Act
    const page = renderCoursePage(courseSummary(course), { title: 'T', link: (i) => `students/${encodeURIComponent(i)}.html` });
    // Assert
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;&quot;&amp;');
    expect(page).toContain('href="students/%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E%22%26.html"');
  });
});
