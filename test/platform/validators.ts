/**
 * Shape validators written from the platforms' documentation
 * (shared/research/ecosystem.md): each returns the list of problems, [] when
 * the value has the documented shape. No network, no schemas downloaded.
 */
const VISIBILITY = ['hidden', 'after_due_date', 'after_published', 'visible'];
const FORMATS = ['text', 'html', 'simple_format', 'md', 'ansi'];
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function only(o: Record<string, unknown>, allowed: string[], where: string, problems: string[]): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) problems.push(`${where}: unknown field ${k}`);
}

/** Gradescope autograder results.json (docs/specs.md). */
export function validateGradescope(v: unknown): string[] {
  const p: string[] = [];
  if (!isObj(v)) return ['not an object'];
  only(v, ['score', 'execution_time', 'output', 'output_format', 'test_output_format', 'test_name_format', 'visibility', 'stdout_visibility', 'extra_data', 'tests', 'leaderboard'], 'results', p);
  if (v.score !== undefined && !isNum(v.score)) p.push('score is not a number');
  if (v.execution_time !== undefined && !isNum(v.execution_time)) p.push('execution_time is not a number');
  if (v.output !== undefined && typeof v.output !== 'string') p.push('output is not a string');
  for (const k of ['output_format', 'test_output_format', 'test_name_format']) if (v[k] !== undefined && !FORMATS.includes(v[k] as string)) p.push(`${k} ${String(v[k])}`);
  for (const k of ['visibility', 'stdout_visibility']) if (v[k] !== undefined && !VISIBILITY.includes(v[k] as string)) p.push(`${k} ${String(v[k])}`);
  const tests = v.tests ?? [];
  if (!Array.isArray(tests)) return [...p, 'tests is not an array'];
  tests.forEach((t, i) => {
    const w = `tests[${i}]`;
    if (!isObj(t)) return void p.push(`${w} not an object`);
    only(t, ['score', 'max_score', 'status', 'name', 'name_format', 'number', 'output', 'output_format', 'tags', 'visibility', 'extra_data'], w, p);
    if (t.score !== undefined && !isNum(t.score)) p.push(`${w}.score`);
    if (t.max_score !== undefined && !isNum(t.max_score)) p.push(`${w}.max_score`);
    if (isNum(t.score) && isNum(t.max_score) && t.score > t.max_score + 1e-9) p.push(`${w}: score above max_score`);
    if (t.status !== undefined && t.status !== 'passed' && t.status !== 'failed') p.push(`${w}.status ${String(t.status)}`);
    if (t.name !== undefined && typeof t.name !== 'string') p.push(`${w}.name`);
    if (t.output !== undefined && (typeof t.output !== 'string' || t.output.includes('\r\n'))) p.push(`${w}.output must be a string with \\n line ends`);
    if (t.output_format !== undefined && !FORMATS.includes(t.output_format as string)) p.push(`${w}.output_format`);
    if (t.visibility !== undefined && !VISIBILITY.includes(t.visibility as string)) p.push(`${w}.visibility`);
    if (t.tags !== undefined && !(Array.isArray(t.tags) && t.tags.every((x) => typeof x === 'string'))) p.push(`${w}.tags`);
  });
  if (v.score === undefined && !tests.every((t) => isObj(t) && isNum(t.score))) p.push('score is required unless every test has a score');
  if (v.leaderboard !== undefined) {
    if (!Array.isArray(v.leaderboard)) p.push('leaderboard is not an array');
    else
      v.leaderboard.forEach((e, i) => {
        if (!isObj(e) || typeof e.name !== 'string' || !(isNum(e.value) || typeof e.value === 'string')) p.push(`leaderboard[${i}] needs name and value`);
        else if (e.order !== undefined && e.order !== 'asc' && e.order !== 'desc') p.push(`leaderboard[${i}].order`);
      });
  }
  return p;
}

/** PrairieLearn external grader results.json (externalGrading.md). */
export function validatePrairieLearn(v: unknown): string[] {
  const p: string[] = [];
  if (!isObj(v)) return ['not an object'];
  only(v, ['gradable', 'score', 'format_errors', 'message', 'output', 'images', 'tests', 'partial_scores'], 'results', p);
  if (v.gradable === false) {
    const fe = v.format_errors;
    if (!(typeof fe === 'string' || (Array.isArray(fe) && fe.every((x) => typeof x === 'string')))) p.push('gradable: false needs format_errors');
  } else if (!isNum(v.score) || v.score < 0 || v.score > 1) p.push('score must be a number in [0, 1]');
  if (JSON.stringify(v).length > 1_000_000) p.push('larger than 1 MB');
  for (const [i, t] of ((v.tests as unknown[]) ?? []).entries()) {
    if (!isObj(t) || typeof t.name !== 'string') p.push(`tests[${i}] needs a name`);
    else {
      only(t, ['name', 'description', 'points', 'max_points', 'message', 'output', 'images'], `tests[${i}]`, p);
      if ((t.points !== undefined && !isNum(t.points)) || (t.max_points !== undefined && !isNum(t.max_points))) p.push(`tests[${i}] points`);
    }
  }
  return p;
}

/** GitHub Classroom runner result (autograding-command-grader's `result` output, base64 JSON). */
export function validateClassroom(base64: string): string[] {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
  } catch {
    return ['not base64 JSON'];
  }
  const p: string[] = [];
  if (!isObj(v)) return ['not an object'];
  if (v.version !== 1) p.push('version must be 1');
  if (!['pass', 'fail', 'error'].includes(v.status as string)) p.push('status');
  if (!isNum(v.max_score)) p.push('max_score');
  if (!Array.isArray(v.tests)) return [...p, 'tests'];
  for (const [i, t] of v.tests.entries()) {
    if (!isObj(t)) return [...p, `tests[${i}]`];
    for (const k of ['name', 'message', 'test_code', 'filename']) if (typeof t[k] !== 'string') p.push(`tests[${i}].${k}`);
    for (const k of ['score', 'line_no', 'duration']) if (!isNum(t[k])) p.push(`tests[${i}].${k}`);
    if (!['pass', 'fail', 'error'].includes(t.status as string)) p.push(`tests[${i}].status`);
  }
  return p;
}

/**
 * JUnit XML: well-formed (balanced tags, quoted attributes, only the five
 * entities), testsuites > testsuite > testcase, counts that match.
 */
export function validateJUnit(xml: string): string[] {
  const p: string[] = [];
  if (!xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')) p.push('no XML declaration');
  const body = xml.replace(/^<\?xml[^>]*\?>/, '');
  const stack: string[] = [];
  const counts = new Map<string, { tests: number; failures: number; errors: number; skipped: number; cases: number; f: number; e: number; s: number }>();
  let suite: string | undefined;
  const tag = /<(\/?)([A-Za-z][\w-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < body.length && (m = tag.exec(body))) {
    pos = tag.lastIndex;
    const [, close, name, attrs, selfClose, text] = m;
    const checkEntities = (s: string) => {
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(s)) p.push(`bad entity in ${s.slice(0, 40)}`);
    };
    if (text !== undefined) {
      checkEntities(text);
      continue;
    }
    checkEntities(attrs ?? '');
    const a = Object.fromEntries([...(attrs ?? '').matchAll(/([\w:-]+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (close) {
      if (stack.pop() !== name) p.push(`unbalanced </${name}>`);
      continue;
    }
    const parent = stack[stack.length - 1];
    const allowedParent: Record<string, (string | undefined)[]> = {
      testsuites: [undefined], testsuite: ['testsuites'], testcase: ['testsuite'], properties: ['testsuite', 'testcase'],
      property: ['properties'], failure: ['testcase'], error: ['testcase'], skipped: ['testcase'], 'system-out': ['testcase', 'testsuite'], 'system-err': ['testcase', 'testsuite'],
    };
    if (!(name! in allowedParent)) p.push(`unknown element ${name}`);
    else if (!allowedParent[name!]!.includes(parent)) p.push(`${name} inside ${parent ?? 'the document'}`);
    if (name === 'testsuite') {
      suite = a.name;
      counts.set(suite!, { tests: +a.tests!, failures: +a.failures!, errors: +a.errors!, skipped: +(a.skipped ?? 0), cases: 0, f: 0, e: 0, s: 0 });
    }
    if (name === 'testcase' && (!a.name || !a.classname)) p.push('testcase needs name and classname');
    if (name === 'property' && (a.name === undefined || a.value === undefined)) p.push('property needs name and value');
    const c = suite ? counts.get(suite) : undefined;
    if (c && name === 'testcase') c.cases++;
    if (c && name === 'failure') c.f++;
    if (c && name === 'error') c.e++;
    if (c && name === 'skipped') c.s++;
    if (!selfClose) stack.push(name!);
  }
  if (pos < body.length) p.push(`not XML at ${body.slice(pos, pos + 40)}`);
  if (stack.length) p.push(`unclosed ${stack.join(', ')}`);
  for (const [name, c] of counts) {
    if (c.tests !== c.cases || c.failures !== c.f || c.errors !== c.e || c.skipped !== c.s) p.push(`suite ${name}: counts do not match its testcases`);
  }
  return p;
}

/** A GitHub workflow command line: ::error file=F,line=N,title=T::message, with escaped data. */
export function validateAnnotation(line: string): string[] {
  const m = /^::error ((?:[a-z]+=[^,:\n]*)(?:,[a-z]+=[^,:\n]*)*)::([^\r\n]*)$/.exec(line);
  if (!m) return [`not a single-line ::error command: ${line.slice(0, 80)}`];
  const props = Object.fromEntries(m[1]!.split(',').map((kv) => kv.split('=') as [string, string]));
  const p: string[] = [];
  if (!props.file) p.push('no file');
  if (!/^\d+$/.test(props.line ?? '')) p.push('no line');
  return p;
}
