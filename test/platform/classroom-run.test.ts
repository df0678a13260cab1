/** [slow] The Classroom grading step end to end: summary, output for the reporter, annotations, fenced student output. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runClassroom } from '../../harness/platform/run-classroom.ts';
import { validateAnnotation, validateClassroom } from './validators.ts';

const SUB = fileURLToPath(new URL('../fixtures/batch/classroom/prints-commands.ts', import.meta.url));

describe.skipIf(process.env.HEAPGRADE_SKIP_SLOW === '1')('[slow] heapgrade classroom', () => {
  it('writes the summary, the reporter result and annotations, and fences the student output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heapgrade-classroom-'));
    const out: string[] = [];
    const run = await runClassroom({
      submission: SUB, mode: 'test', timeoutMs: 30_000, memoryMb: 384,
      summaryFile: join(dir, 'summary.md'), outputFile: join(dir, 'output'),
      choices: { checks: ['alignment', 'free-null'] },
      write: (t) => void out.push(t),
    });
    expect(run.notGraded).toBeUndefined();
    const report = run.report!;
    expect(report.status).toBe('fail');
    const printed = out.join('');
    // The fake notice is inside a stop-commands block whose end marker uses the same token.
    const m = /::stop-commands::([\w-]+)\n([\s\S]*?)::\1::\n/.exec(printed);
    expect(m?.[2]).toContain('::notice title=Autograding complete::Points 100/100');
    expect(printed.replace(m![0], '')).not.toContain('Points 100/100');
    const annotations = printed.split('\n').filter((l) => l.startsWith('::error '));
    expect(annotations).toHaveLength(2);
    for (const a of annotations) expect(validateAnnotation(a)).toStrictEqual([]);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toMatch(/\| alignment \| ❌ fail \| 0 \/ 8 \|/);
    const output = readFileSync(join(dir, 'output'), 'utf8');
    expect(output).toMatch(/^result=[A-Za-z0-9+/=]+\n$/);
    expect(validateClassroom(output.slice('result='.length).trim())).toStrictEqual([]);
  });
});
