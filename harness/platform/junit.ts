/**
 * JUnit XML, the format every CI understands: a `correctness` suite (one
 * testcase per check) and, for a grade, a `workloads` suite. Points travel as
 * <properties> (points, maxPoints, and utilization/throughput for workloads);
 * a failed check is a <failure> whose type is the violation kind, a kit error
 * an <error>, a skipped workload <skipped/>. What the submission printed goes
 * in <system-out>. A report without checks (did not load, crashed, timed out)
 * is one failing testcase named `load`. Written through xml.ts, which escapes.
 */
import type { CheckResult, WorkloadResult } from '../report/types.ts';
import { checkDetails, isGradeReport, totals, workloadDetails, type PlatformReport } from './common.ts';
import { el, xmlDocument, type XmlElement } from './xml.ts';

const secs = (ms: number) => (ms / 1000).toFixed(3);

function properties(p: Record<string, string | number>): XmlElement {
  return el('properties', {}, Object.entries(p).map(([name, value]) => el('property', { name, value })));
}

function checkCase(c: CheckResult): XmlElement {
  const details = checkDetails(c).join('\n');
  const v = c.violations[0];
  return el('testcase', { classname: 'heapgrade.correctness', name: c.name, time: secs(c.durationMs) }, [
    properties({ points: c.points, maxPoints: c.maxPoints }),
    c.status === 'error' && el('error', { message: c.error ?? 'kit error', type: 'kit-error' }, [details]),
    c.status === 'fail' && el('failure', { message: v?.message ?? 'failed', type: v?.kind ?? 'failure' }, [details]),
    c.output ? el('system-out', {}, [c.output]) : undefined,
  ]);
}

function workloadCase(w: WorkloadResult): XmlElement {
  const details = workloadDetails(w).join('\n');
  const v = w.violations[0];
  return el('testcase', { classname: 'heapgrade.workloads', name: w.name, time: '0' }, [
    properties({ weight: w.weight, utilization: w.utilization, throughput: w.throughput, utilScore: w.utilScore, speedScore: w.speedScore, hidden: String(w.hidden) }),
    w.status === 'skipped' && el('skipped', { message: w.reason ?? 'skipped' }),
    w.status === 'error' && el('error', { message: w.reason ?? 'kit error', type: 'kit-error' }, [details]),
    w.status === 'fail' && el('failure', { message: v?.message ?? w.reason ?? 'failed', type: v?.kind ?? 'failure' }, [details]),
  ]);
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function countOf(cases: readonly { status: string }[]): Counts {
  const n = (s: string) => cases.filter((k) => k.status === s).length;
  return { tests: cases.length, failures: n('fail'), errors: n('error'), skipped: n('skipped') };
}

function suite(name: string, cases: XmlElement[], counts: Counts, ms: number, props?: XmlElement): XmlElement {
  return el('testsuite', { name, tests: counts.tests, failures: counts.failures, errors: counts.errors, skipped: counts.skipped, time: secs(ms) }, [props, ...cases]);
}

export function toJUnit(report: PlatformReport): string {
  const suites: { element: XmlElement; counts: Counts }[] = [];
  const { score, max } = totals(report);
  const scoreProps = properties({ score, maxScore: max, status: report.status });
  if (report.checks.length === 0 && report.error !== undefined) {
    const kitError = report.status === 'error';
    const testcase = el('testcase', { classname: 'heapgrade', name: 'load', time: secs(report.durationMs) }, [
      el(kitError ? 'error' : 'failure', { message: report.error, type: kitError ? 'kit-error' : 'load' }, [report.error]),
    ]);
    const counts = { tests: 1, failures: kitError ? 0 : 1, errors: kitError ? 1 : 0, skipped: 0 };
    suites.push({ element: suite('heapgrade', [testcase], counts, report.durationMs, scoreProps), counts });
  } else {
    const c = report.checks;
    const counts = countOf(c);
    suites.push({ element: suite('correctness', c.map(checkCase), counts, c.reduce((s, k) => s + k.durationMs, 0), scoreProps), counts });
    if (isGradeReport(report) && report.workloads.length) {
      const w = report.workloads;
      const wc = countOf(w);
      suites.push({ element: suite('workloads', w.map(workloadCase), wc, 0), counts: wc });
    }
  }
  const sum = (k: keyof Counts) => suites.reduce((s, x) => s + x.counts[k], 0);
  return xmlDocument(
    el('testsuites', { name: `heapgrade ${report.submission}`, tests: sum('tests'), failures: sum('failures'), errors: sum('errors'), time: secs(report.durationMs) }, suites.map((s) => s.element)),
  );
}
