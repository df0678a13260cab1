/**
 * [slow] Hidden stays hidden in a batch's per-student files: a submission
 * that fails a hidden workload at its first request (malloc(31337)) and
 * prints what it was asked. students/<id>.json and .txt (handed to
 * students) carry no hidden workload's name, call, violation, numbers or
 * printed output, and say how many hidden workloads counted; the TA's full
 * record is in staff/<id>.json and .txt. The same for students/<id>.html
 * (batch --html): rendered without the hidden workload (its table row and its
 * heap timeline), while the visible workload's row and timeline remain.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runBatch } from '../../harness/batch/run-batch.ts';
import { GRADING_SANDBOX } from '../helpers/sandbox.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SECRET = 'zebra-trace';
const HIDDEN_TRACE = '20000\n2\n4\n1\na 0 31337\na 1 64\nf 0\nf 1\n';

/** Honest everywhere; on the hidden trace (first request 31337) it pads each block by `v` bytes, so its utilization there encodes v. */
const encoder = (v: number): string => `import reference from '${ROOT}reference/reference.ts';
import type { Allocator, Heap } from '${ROOT}harness/contract/types.ts';
export default function createAllocator(heap: Heap): Allocator {
  const inner = reference(heap);
  let pad = 0;
  return {
    malloc: (n) => { if (n === 31337) pad = ${v}; return inner.malloc(n + pad); },
    free: (p) => inner.free(p),
    calloc: (c, n) => inner.calloc(c, n),
    realloc: (p, n) => inner.realloc(p, n + pad),
  };
}
`;

const LEAKY = `import reference from '${ROOT}reference/reference.ts';
import type { Allocator, Heap } from '${ROOT}harness/contract/types.ts';
// Misaligned exactly on the hidden trace's first request, and says what it was asked.
export default function createAllocator(heap: Heap): Allocator {
  const inner = reference(heap);
  return {
    malloc: (n) => { if (n === 31337) { console.log('asked for ' + n); return inner.malloc(n + 8) + 8; } return inner.malloc(n); },
    free: (p) => inner.free(p),
    calloc: (c, n) => inner.calloc(c, n),
    realloc: (p, n) => inner.realloc(p, n),
  };
}
`;

describe.skipIf(process.env.HEAPGRADE_SKIP_SLOW === '1')('[slow] hidden workloads stay out of the files handed to students', () => {
  it('students/ has none of it; staff/ has all of it', async () => {
    const work = mkdtempSync(join(tmpdir(), 'heapgrade-hidden-students-'));
    mkdirSync(join(work, 'subs'));
    writeFileSync(join(work, 'subs', 'leaky.ts'), LEAKY);
    writeFileSync(join(work, 'secret.rep'), HIDDEN_TRACE);
    writeFileSync(join(work, 'config.json'), JSON.stringify({ onlyListedWorkloads: true, workloads: { coalescing: { weight: 1 }, [SECRET]: { file: 'secret.rep', weight: 1, hidden: true } }, speed: 'cost' }));
    const out = join(work, 'out');
    await runBatch({ dir: join(work, 'subs'), out, configPath: join(work, 'config.json'), jobs: 1, timeoutMs: 120_000, memoryMb: 512, html: true, choices: { skipChecks: true }, progress: { write: () => {}, isTTY: false }, sandbox: GRADING_SANDBOX });

    // The TA's record: the hidden workload, its failing call, and what the allocator printed.
    const staff = readFileSync(join(out, 'staff', 'leaky.json'), 'utf8');
    expect(staff).toContain(SECRET);
    expect(staff).toContain('31337');
    expect(readFileSync(join(out, 'staff', 'leaky.txt'), 'utf8')).toContain(SECRET);
    const full = JSON.parse(staff) as { report: { workloads: { name: string; status: string; utilization: number }[] } };
    expect(full.report.workloads.find((w) => w.name === SECRET)?.status).toBe('fail');

    // What may be handed to the student.
    for (const f of ['leaky.json', 'leaky.txt', 'leaky.html']) {
      const text = readFileSync(join(out, 'students', f), 'utf8');
      expect(text, f).not.toContain(SECRET);
      expect(text, f).not.toContain('31337');
      expect(text, f).not.toContain('secret.rep');
    }
    const student = JSON.parse(readFileSync(join(out, 'students', 'leaky.json'), 'utf8')) as { report: { workloads: { name: string }[]; hiddenWorkloads: number }; stdout: string };
    expect(student.report.workloads.map((w) => w.name)).toStrictEqual(['coalescing']);
    expect(student.report.hiddenWorkloads).toBe(1);
    expect(readFileSync(join(out, 'students', 'leaky.txt'), 'utf8')).toContain('Hidden workloads: 1 (counted in the score');
    // The student's page: the visible workload, its heap over time, and the count of hidden ones.
    const page = readFileSync(join(out, 'students', 'leaky.html'), 'utf8');
    expect(page).toContain('coalescing');
    expect(page).toContain('id="timeline-0"');
    expect(page).not.toContain('id="timeline-1"');
    expect(page).toContain('Hidden workloads: 1 (counted in the score');
    expect(page).not.toContain('(hidden)');
  }, 300_000);

  it('a utilization that encodes a number on the hidden trace changes nothing in students/ (the control pads nothing)', async () => {
    const work = mkdtempSync(join(tmpdir(), 'heapgrade-hidden-encode-'));
    mkdirSync(join(work, 'subs'));
    writeFileSync(join(work, 'subs', 'control.ts'), encoder(0));
    writeFileSync(join(work, 'subs', 'encoder.ts'), encoder(13370));
    writeFileSync(join(work, 'secret.rep'), HIDDEN_TRACE);
    writeFileSync(join(work, 'config.json'), JSON.stringify({ onlyListedWorkloads: true, workloads: { coalescing: { weight: 1 }, [SECRET]: { file: 'secret.rep', weight: 1, hidden: true } }, speed: 'cost' }));
    const out = join(work, 'out');
    await runBatch({ dir: join(work, 'subs'), out, configPath: join(work, 'config.json'), jobs: 1, timeoutMs: 120_000, memoryMb: 512, html: true, choices: { skipChecks: true }, progress: { write: () => {}, isTTY: false }, sandbox: GRADING_SANDBOX });

    // The encoding works: the TA's record shows the hidden utilizations apart, and the total with them.
    type Full = { report: { score: number; workloads: { name: string; utilization: number }[] } };
    const staff = (id: string) => JSON.parse(readFileSync(join(out, 'staff', `${id}.json`), 'utf8')) as Full;
    const hiddenUtil = (id: string) => staff(id).report.workloads.find((w) => w.name === SECRET)!.utilization;
    expect(hiddenUtil('encoder')).toBeLessThan(hiddenUtil('control') - 0.1);
    expect(staff('encoder').report.score).not.toBe(staff('control').report.score);

    // What the students get is the same, byte for byte, but for their own names.
    const same = (id: string, f: string) => readFileSync(join(out, 'students', f), 'utf8').split(id).join('ID').split(join(work, 'subs')).join('SUBS');
    for (const ext of ['json', 'txt', 'html']) {
      const control = same('control', `control.${ext}`).replace(/"finishedAt": "[^"]*"/, '');
      const encoded = same('encoder', `encoder.${ext}`).replace(/"finishedAt": "[^"]*"/, '');
      expect(encoded, ext).toBe(control);
    }
    // No total, no performance points, no run time; the visible figures instead.
    const student = JSON.parse(readFileSync(join(out, 'students', 'encoder.json'), 'utf8')) as Record<string, unknown> & { report: Record<string, unknown> };
    expect(student.report['score']).toBeUndefined();
    expect(student.report['breakdown']).toBeUndefined();
    expect(student.report['durationMs']).toBeUndefined();
    expect(student['durationMs']).toBeUndefined();
    expect(student['cpuMs']).toBeUndefined();
    expect(student['peakRssMb']).toBeUndefined();
    expect(student.report['visible']).toMatchObject({ workloads: 1 });
    expect(readFileSync(join(out, 'students', 'encoder.txt'), 'utf8')).toMatch(/the 1 visible workload: utilization \d+\.\d%/);
  }, 300_000);
});
