/**
 * `heapgrade grade` reads a course's own `.rep` workloads as the plan's
 * profile reads them: under a malloclab profile as the handout's mdriver
 * does (a missing size keeps the previous one, lines past the header's count
 * are ignored), each kind with one warning in the result and its text; the
 * kit's own profile refuses the same file, naming it and the line.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { gradeSubmission } from '../../harness/grade/grade.ts';
import { formatGradeReport } from '../../harness/report/grade-text.ts';

const fixture = (rel: string): string => fileURLToPath(new URL(`../fixtures/c/handouts/${rel}`, import.meta.url));
const TRACE = fixture('traces/missing-size-extra-line.rep');
const SLOW = 600_000;

/** A course configuration whose only workload is the handout-style trace, under `profile`. */
function courseConfig(profile: string, hidden = false): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'hg-handout-traces-'));
  const file = path.join(dir, 'heapgrade.config.json');
  writeFileSync(file, JSON.stringify({ profile, onlyListedWorkloads: true, workloads: { handout: { file: TRACE, weight: 1, hidden } } }));
  return file;
}

describe('grade: a course workload read as the profile reads traces', () => {
  it('under malloclab-2010: graded, the kept size and the ignored line each one warning on the workload and in the text', { timeout: SLOW }, async () => {
    const r = await gradeSubmission(fixture('malloclab-2010/mm.c'), { configPath: courseConfig('malloclab-2010'), skipChecks: true, jobs: 1 });
    expect(r.error).toBeUndefined();
    expect(r.workloads.map((w) => [w.name, w.status, w.ops])).toStrictEqual([['handout', 'pass', 7]]);
    const warnings = r.workloads[0]!.traceWarnings!;
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/missing-size-extra-line\.rep line 6: 'a 1' has no size; read as mdriver reads it, with the previous size \(110\), as is 1 more such line/);
    expect(warnings[1]).toMatch(/missing-size-extra-line\.rep line 12: the header says 7 operations; this line is ignored/);
    const text = formatGradeReport(r);
    expect(text.match(/^warning: .*line 6: 'a 1' has no size/gm)).toHaveLength(1);
    expect(text.match(/^warning: .*line 12: the header says 7 operations/gm)).toHaveLength(1);
  });

  it("a hidden workload's warnings stay in the result, out of the student's text", { timeout: SLOW }, async () => {
    const r = await gradeSubmission(fixture('malloclab-2010/mm.c'), { configPath: courseConfig('malloclab-2010', true), skipChecks: true, jobs: 1 });
    expect(r.workloads[0]!.traceWarnings).toHaveLength(2);
    expect(formatGradeReport(r)).not.toMatch(/warning:/);
  });

  // The 2010 file does not load under the kit's profile (its load failure would come first), so the kit's reference stands in.
  it("under the kit's own profile the same file is refused: a clear error naming the file and line", { timeout: SLOW }, async () => {
    await expect(gradeSubmission('ref:reference', { configPath: courseConfig('heapgrade'), skipChecks: true, jobs: 1 })).rejects.toThrow(
      /missing-size-extra-line\.rep line 6: missing values: 'a 1'/,
    );
  });
});
