/**
 * [slow] Where bubblewrap cannot create namespaces (a hosted grader whose
 * container is the boundary; stood in for by HEAPGRADE_BWRAP=/bin/false):
 * `required` stops with a message that says so and names `--sandbox auto`;
 * `auto` warns, grades anyway, still runs the child as nobody under a cgroup
 * where the machine allows it, and says which protections were in force.
 */
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradeIsolated } from '../../harness/isolation/run-isolated.ts';
import { runBatch } from '../../harness/batch/run-batch.ts';

const PASS = fileURLToPath(new URL('../fixtures/batch/subs/pass.ts', import.meta.url));
const SUBS = fileURLToPath(new URL('../fixtures/batch/subs', import.meta.url));

describe.skipIf(process.platform !== 'linux' || process.env.HEAPGRADE_SKIP_SLOW === '1')('[slow] no namespaces: the sandbox falls back and says so', () => {
  beforeAll(() => {
    process.env.HEAPGRADE_BWRAP = '/bin/false';
    return () => {
      delete process.env.HEAPGRADE_BWRAP;
    };
  });

  it('`required` refuses to start a batch, and says what to do', async () => {
    await expect(runBatch({ dir: SUBS, out: '/nonexistent/never-written', sandbox: 'required' })).rejects.toThrow(/cannot create namespaces.*--sandbox auto/);
  });

  it('`auto` grades, and reports the protections that were in force', async () => {
    const r = await gradeIsolated(PASS, { mode: 'test', sandbox: 'auto', timeoutMs: 120_000, memoryMb: 512, choices: { checks: ['alignment'] } });
    expect(r.outcome).toBe('graded');
    expect(r.status).toBe('pass');
    expect(r.protections?.osSandbox).toBe('none');
    expect(r.protections?.network).toBe('host');
    expect(r.protections?.notes?.join(' ')).toMatch(/cannot create namespaces/);
    if (process.getuid?.() === 0) {
      // Root with writable cgroups (this machine, most CI runners): still a cgroup, and nobody when the files allow it.
      expect(['nobody', 'root']).toContain(r.protections?.user);
    }
  }, 180_000);
});
