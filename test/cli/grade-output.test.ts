/**
 * `heapgrade grade` lists each workload once: through a pipe the report on
 * stdout is the record and stderr stays empty of workload lines; on a
 * terminal a status line names the last workload graded and is erased
 * before the report.
 */
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const BIN = new URL('../../scripts/heapgrade.mjs', import.meta.url).pathname;
const ARGS = ['grade', 'ref:first-fit', '--workloads', 'coalescing,random-churn'];

describe('heapgrade grade workload lines', () => {
  it('through a pipe: each workload once, in the report; nothing repeated on stderr', async () => {
    const r = await execa('node', [BIN, ...ARGS], { reject: false, env: { NO_COLOR: '1' } });
    expect(r.exitCode).toBe(0);
    for (const w of ['coalescing', 'random-churn']) {
      expect(r.stdout.match(new RegExp(`\\b${w}\\b`, 'g'))?.length, w).toBeGreaterThanOrEqual(1);
      expect(r.stderr).not.toContain(w);
    }
  }, 300_000);

  it('on a terminal: a status line, erased before the report', async () => {
    const r = await execa('script', ['-qfec', `node ${BIN} ${ARGS.join(' ')}`, '/dev/null'], { reject: false, env: { NO_COLOR: '1', TERM: 'xterm' } });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/\r\x1b\[K\d workloads? graded · (coalescing|random-churn): /);
    expect(r.stdout).not.toMatch(/^ {2}(coalescing|random-churn): utilization/m);
  }, 300_000);
});
