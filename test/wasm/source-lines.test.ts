/**
 * A C failure names the line: the module's DWARF line table, carried over the
 * metering pass, turns the trapping frame's code offset into `mm.c:LINE`, and
 * the report quotes that line on a line of its own.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatCheckFailure } from '../../harness/report/violation-text.ts';
import { runTests } from '../../harness/runner/run-tests.ts';
import { compileC } from '../../harness/wasm/compile.ts';
import { lineAt } from '../../harness/wasm/debug-lines.ts';

const TEMPLATE = readFileSync(fileURLToPath(new URL('../../student-template/c/mm.c', import.meta.url)), 'utf8');
const FREE_BODY = '  if (ptr == NULL) return;\n';

/** The template's mm.c with `bug` planted as the first statement after mm_free's NULL check; the bug's line number. */
function planted(bug: string): { file: string; line: number; text: string } {
  expect(TEMPLATE).toContain(FREE_BODY);
  const text = TEMPLATE.replace(FREE_BODY, `${FREE_BODY}${bug}\n`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hg-lines-'));
  const file = path.join(dir, 'mm.c');
  writeFileSync(file, text);
  const line = text.split('\n').indexOf(bug) + 1;
  expect(line).toBeGreaterThan(0);
  return { file, line, text: bug };
}

describe('C failures name mm.c:LINE', () => {
  it('a segfault in mm_free names the line of the bad store and quotes it, one fact a line', async () => {
    const bug = planted('  *(volatile size_t *)((char *)ptr + 0x7fff0000) = 1;');
    const r = await runTests(bug.file, { checks: ['alignment'] });
    const c = r.checks[0]!;
    expect(c.violations[0]!.kind).toBe('segfault');
    const msg = c.violations[0]!.message;
    expect(msg.split('\n')[0]).toMatch(new RegExp(`: segmentation fault in mm_free at mm\\.c:${bug.line}$`));
    expect(msg.split('\n')[1]).toBe(`${String(bug.line).padStart(5)} | ${bug.text}`);
    const report = formatCheckFailure(c);
    expect(report).toContain(`mm_free at mm.c:${bug.line}`);
    expect(report).toContain(bug.text);
  });

  it('an endless loop in mm_free names the line of the loop', async () => {
    const bug = planted('  for (;;) {}');
    const r = await runTests(bug.file, { checks: ['alignment'] });
    const v = r.checks[0]!.violations[0]!;
    expect(v.kind).toBe('timeout');
    expect(v.message).toContain(`ran out of its budget of 1,000,000,000 instructions in mm_free at mm.c:${bug.line}`);
    expect(v.message.split('\n')[1]).toBe(`${String(bug.line).padStart(5)} | ${bug.text}`);
    expect(v.hint).toContain(`spinning in mm_free at mm.c:${bug.line}`);
  });

  it('a failed assert in mm_free names and quotes its line', async () => {
    const bug = planted('  assert(*header_of(ptr) != 24);');
    const r = await runTests(bug.file, { checks: ['churn'] });
    const v = r.checks[0]!.violations[0]!;
    expect(v.kind).toBe('threw');
    expect(v.message).toContain(`assertion \`*header_of(ptr) != 24\` failed at mm.c:${bug.line} in mm_free()`);
    expect(v.message).toContain(`\n${String(bug.line).padStart(5)} | ${bug.text}`);
  });

  it('a trap in the kit\'s memcpy names the student line that called it; the table maps offsets to lines as written', async () => {
    // realloc copies from a wild pointer: memcpy (the kit's) traps; the report names the student's call.
    const copyLine = '  memcpy(q, (char *)ptr + 0x7fff0000, old < size ? old : size);';
    const text = TEMPLATE.replace('  memcpy(q, ptr, old < size ? old : size);', copyLine);
    expect(text).toContain(copyLine);
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'hg-lines-')), 'mm.c');
    writeFileSync(file, text);
    const line = text.split('\n').indexOf(copyLine) + 1;
    const r = await runTests(file, { checks: ['realloc'] });
    const v = r.checks[0]!.violations[0]!;
    expect(v.kind).toBe('segfault');
    expect(v.message).toContain(`in memcpy (called from mm_realloc at mm.c:${line})`);
    expect(v.message).toContain(copyLine);
    const compiled = await compileC(file);
    const lines = compiled.lines!;
    expect(lines.files).toEqual(['mm.c']);
    const row = lines.rows.findIndex((x, k) => k % 3 === 2 && x === line);
    expect(row).toBeGreaterThan(0);
    expect(lineAt(lines, lines.rows[row - 2]!)).toEqual({ file: 'mm.c', line, text: copyLine });
    // Before the first row: no line.
    expect(lineAt(lines, 0)).toBeUndefined();
  });
});
