/**
 * [slow] The grade drift measured in issue 18, each reproduced through the
 * real CLI in a real child: a front end that hands its child less than the
 * rules (a profile, a configuration) grades by other rules than `heapgrade
 * test` in this process. Skip with HEAPGRADE_SKIP_SLOW=1.
 */
import { execa } from 'execa';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CheckResult, TestReport } from '../../harness/report/types.ts';

const BIN = fileURLToPath(new URL('../../scripts/heapgrade.mjs', import.meta.url));
const MM_2002 = fileURLToPath(new URL('../fixtures/c/handouts/malloclab-2002/mm.c', import.meta.url));
const cli = (args: string[], cwd: string) => execa('node', [BIN, ...args], { reject: false, cwd, env: { NO_COLOR: '1', PATH: process.env.PATH ?? '' } });
// alignment: 8 bytes under the 2002 handout, 16 by default; free-null: beyond the 2002 handout, a failure by default.
const CHECKS = ['--check', 'alignment,free-null'];

/** What must be the same in every front end: per check, its status, points and beyond-handout flag. */
const verdicts = (checks: readonly CheckResult[]) => checks.map((c) => ({ name: c.name, status: c.status, points: c.points, maxPoints: c.maxPoints, beyond: c.beyondHandout === true }));

async function workdir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'heapgrade-drift-'));
  mkdirSync(join(dir, 'subs'));
  copyFileSync(MM_2002, join(dir, 'subs', 'student.c'));
  return dir;
}

describe.skipIf(process.env.HEAPGRADE_SKIP_SLOW === '1')('[slow] every front end grades a 2002 mm.c by the same rules', () => {
  it('batch --tests-only --profile malloclab-2002 grades by the 2002 rules, as test --profile does', async () => {
    const dir = await workdir();
    const file = join(dir, 'subs', 'student.c');
    const direct = await cli(['test', file, '--profile', 'malloclab-2002', ...CHECKS, '--json'], dir);
    const expected = JSON.parse(direct.stdout) as TestReport;
    // The 2002 rules: 8-byte alignment passes, free(NULL) is beyond the handout (0 points, never a failure).
    expect(verdicts(expected.checks)).toStrictEqual([
      { name: 'alignment', status: 'pass', points: 8, maxPoints: 8, beyond: false },
      { name: 'free-null', status: 'pass', points: 0, maxPoints: 0, beyond: true },
    ]);

    const batch = await cli(['batch', join(dir, 'subs'), '--out', join(dir, 'out'), '--tests-only', '--profile', 'malloclab-2002', ...CHECKS, '--jobs', '1', '--sandbox', 'off'], dir);
    expect(batch.exitCode, batch.stderr).toBe(0);
    const student = JSON.parse(readFileSync(join(dir, 'out', 'students', 'student.json'), 'utf8')) as { report: TestReport };
    expect(verdicts(student.report.checks)).toStrictEqual(verdicts(expected.checks));
  }, 300_000);

  it('test --sandbox grades by ./heapgrade.config.json (profile and points), as test does', async () => {
    const dir = await workdir();
    writeFileSync(join(dir, 'heapgrade.config.json'), JSON.stringify({ profile: 'malloclab-2002', checks: { alignment: 20 } }));
    const file = join(dir, 'subs', 'student.c');
    const direct = JSON.parse((await cli(['test', file, ...CHECKS, '--json'], dir)).stdout) as TestReport;
    expect(verdicts(direct.checks)).toStrictEqual([
      { name: 'alignment', status: 'pass', points: 20, maxPoints: 20, beyond: false },
      { name: 'free-null', status: 'pass', points: 0, maxPoints: 0, beyond: true },
    ]);

    const sandboxed = await cli(['test', file, ...CHECKS, '--json', '--sandbox', 'off'], dir);
    expect(verdicts((JSON.parse(sandboxed.stdout) as TestReport).checks)).toStrictEqual(verdicts(direct.checks));
  }, 300_000);
});
