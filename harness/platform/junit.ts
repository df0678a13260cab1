/**
 * JUnit XML, the format every CI understands: a `correctness` suite (one
 * testcase per check) and, for a grade, a `workloads` suite. Points travel as
 * <properties> (points, maxPoints, and utilization/throughput for workloads);
 * a failed check is a <failure> whose type is the violation kind, a kit error
 * an <error>, a skipped workload <skipped/>. What the submission printed goes
 * in <system-out>. A report without checks (did not load, crashed, timed out)
 * is one failing testcase named `load`.
 */
import type { CheckResult, WorkloadResult } from '../report/types.ts';
import { checkDetails, isGradeReport, totals, workloadDetails, type PlatformReport } from './common.ts';
import { xmlEscape as x } from './xml.ts';

const secs = (ms: number) => (ms / 1000).toFixed(3);

function properties(p: Record<string, string | number>): string {
  const items = Object.entries(p).map(([k, v]) => `        <property name="${x(k)}" value="${x(String(v))}"/>`);
  return `      <properties>\n${items.join('\n')}\n      </properties>\n`;
}

function checkCase(c: CheckResult): string {
  let body = properties({ points: c.points, maxPoints: c.maxPoints });
  const details = x(checkDetails(c).join('\n'));
  if (c.status === 'error') body += `      <error message="${x(c.error ?? 'kit error')}" type="kit-error">${details}</error>\n`;
  else if (c.status === 'fail') {
    const v = c.violations[0];
    body += `      <failure message="${x(v?.message ?? 'failed')}" type="${x(v?.kind ?? 'failure')}">${details}</failure>\n`;
  }
  if (c.output) body += `      <system-out>${x(c.output)}</system-out>\n`;
  return `    <testcase classname="heapgrade.correctness" name="${x(c.name)}" time="${secs(c.durationMs)}">\n${body}    </testcase>`;
}

function workloadCase(w: WorkloadResult): string {
  let body = properties({ weight: w.weight, utilization: w.utilization, throughput: w.throughput, utilScore: w.utilScore, speedScore: w.speedScore, hidden: String(w.hidden) });
  const details = x(workloadDetails(w).join('\n'));
  if (w.status === 'skipped') body += `      <skipped message="${x(w.reason ?? 'skipped')}"/>\n`;
  else if (w.status === 'error') body += `      <error message="${x(w.reason ?? 'kit error')}" type="kit-error">${details}</error>\n`;
  else if (w.status === 'fail') {
    const v = w.violations[0];
    body += `      <failure message="${x(v?.message ?? w.reason ?? 'failed')}" type="${x(v?.kind ?? 'failure')}">${details}</failure>\n`;
  }
  return `    <testcase classname="heapgrade.workloads" name="${x(w.name)}" time="0">\n${body}    </testcase>`;
}

function suite(name: string, cases: string[], counts: { failures: number; errors: number; skipped: number }, ms: number, props?: string): string {
  return (
    `  <testsuite name="${x(name)}" tests="${cases.length}" failures="${counts.failures}" errors="${counts.errors}" skipped="${counts.skipped}" time="${secs(ms)}">\n` +
    (props ? props.replace(/^ {6}/gm, '    ') : '') +
    `${cases.join('\n')}\n  </testsuite>`
  );
}

export function toJUnit(report: PlatformReport): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  const { score, max } = totals(report);
  const scoreProps = properties({ score, maxScore: max, status: report.status });
  if (report.checks.length === 0 && report.error !== undefined) {
    const kind = report.status === 'error' ? 'error' : 'failure';
    const testcase = `    <testcase classname="heapgrade" name="load" time="${secs(report.durationMs)}">\n      <${kind} message="${x(report.error)}" type="${report.status === 'error' ? 'kit-error' : 'load'}">${x(report.error)}</${kind}>\n    </testcase>`;
    suites.push(suite('heapgrade', [testcase], { failures: kind === 'failure' ? 1 : 0, errors: kind === 'error' ? 1 : 0, skipped: 0 }, report.durationMs, scoreProps));
    tests = 1;
    failures = kind === 'failure' ? 1 : 0;
    errors = kind === 'error' ? 1 : 0;
  } else {
    const c = report.checks;
    const counts = { failures: c.filter((k) => k.status === 'fail').length, errors: c.filter((k) => k.status === 'error').length, skipped: 0 };
    const ms = c.reduce((s, k) => s + k.durationMs, 0);
    suites.push(suite('correctness', c.map(checkCase), counts, ms, scoreProps));
    tests += c.length;
    failures += counts.failures;
    errors += counts.errors;
    if (isGradeReport(report) && report.workloads.length) {
      const w = report.workloads;
      const wc = {
        failures: w.filter((k) => k.status === 'fail').length,
        errors: w.filter((k) => k.status === 'error').length,
        skipped: w.filter((k) => k.status === 'skipped').length,
      };
      suites.push(suite('workloads', w.map(workloadCase), wc, 0));
      tests += w.length;
      failures += wc.failures;
      errors += wc.errors;
    }
  }
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites name="heapgrade ${x(report.submission)}" tests="${tests}" failures="${failures}" errors="${errors}" time="${secs(report.durationMs)}">\n` +
    `${suites.join('\n')}\n</testsuites>\n`
  );
}
