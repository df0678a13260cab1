/** The batch's live view: who is graded, counts, an ETA from the first second, and no garbage left by a redraw. */
import { describe, expect, it } from 'vitest';
import { BatchProgress, formatSeconds } from '../../harness/batch/progress.ts';

function sink(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, isTTY, columns: 200, write: (t: string) => void writes.push(t) };
}

describe('batch progress', () => {
  it('never prints 4m31ss: seconds round before minutes are split', () => {
    expect(formatSeconds(271.4)).toBe('4m31s');
    expect(formatSeconds(239.7)).toBe('4m00s');
    expect(formatSeconds(59.6)).toBe('1m00s');
    expect(formatSeconds(3 * 3600 + 5 * 60)).toBe('3h05m');
  });

  it('on a terminal, every redraw erases the rest of the line, so a shorter line leaves no tail', () => {
    let now = 0;
    const out = sink(true);
    const p = new BatchProgress(3, 0, out, () => now);
    p.begin('alice-with-a-long-name');
    now = 271_400;
    p.finished('alice-with-a-long-name', 'pass', 'graded', 100, 271_400);
    p.end();
    const redraws = out.writes.filter((w) => w.startsWith('\r'));
    expect(redraws.length).toBeGreaterThan(1);
    for (const w of redraws) expect(w.endsWith('\x1b[K')).toBe(true);
    expect(out.writes.join('')).not.toMatch(/\ds\ds/);
  });

  it('names who is being graded; no ETA figure before anyone finishes ("estimating…"), however long the first ones run', () => {
    let now = 0;
    const p = new BatchProgress(10, 0, sink(false), () => now);
    p.begin('alice');
    p.begin('bob');
    for (now = 0; now <= 120_000; now += 30_000) {
      expect(p.eta()).toBeUndefined();
      expect(p.line()).toContain('ETA estimating…');
      expect(p.line()).not.toMatch(/ETA [≥\d]/);
    }
    now = 120_000;
    expect(p.line()).toContain('grading alice 2m00s, bob 2m00s');
  });

  it('after the first results the ETA is the mean time per submission over the parallelism', () => {
    let now = 0;
    const p = new BatchProgress(4, 0, sink(false), () => now);
    p.begin('a');
    p.begin('b');
    now = 10_000;
    p.finished('a', 'pass', 'graded', 100, 10_000);
    p.finished('b', 'fail', 'graded', 50, 10_000);
    p.begin('c');
    p.begin('d');
    now = 14_000;
    // mean 10 s; c and d have 6 s each to go, over 2 at a time: 6 s.
    expect(p.eta()).toBe(6);
    expect(p.line()).toMatch(/2\/4 {2}pass 1 fail 1 error 0 {2}ETA 6s {2}grading c 4s, d 4s/);
  });

  it('not on a terminal: one plain line per finished submission, nothing redrawn', () => {
    const out = sink(false);
    const p = new BatchProgress(2, 0, out, () => 0);
    p.begin('alice');
    p.finished('alice', 'pass', 'graded', 97.5, 1500);
    p.end();
    expect(out.writes[0]).toBe('[1/2] alice: pass (graded, 97.5) 1.5s\n');
    expect(out.writes.join('')).not.toMatch(/[\r\x1b]/);
  });
});
