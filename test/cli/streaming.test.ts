/**
 * `heapgrade test` shows each check's row as it finishes: through a real
 * pseudo-terminal (util-linux `script`), with a status line that is erased
 * before the report; through a pipe, plain lines only. --json and --quiet
 * stay clean.
 */
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

const BIN = new URL('../../scripts/heapgrade.mjs', import.meta.url).pathname;
const fixture = (path: string): string => new URL(`../fixtures/${path}.ts`, import.meta.url).pathname;
const CHECKS = ['--check', 'zero-size', '--check', 'free-null', '--check', 'alignment'];

describe('heapgrade test output while it runs', () => {
  it('through a pipe: the heading, one plain row per check, then the verdict; no redraws', async () => {
    const r = await execa('node', [BIN, 'test', 'ref:reference', ...CHECKS], { reject: false, env: { NO_COLOR: '1' } });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).not.toMatch(/[\r\x1b]/);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('heapgrade test ref:reference');
    const rows = lines.filter((l) => /^ {2}✓ /.test(l));
    expect(rows.map((l) => l.trim().split(/\s+/)[1]).sort()).toEqual(['alignment', 'free-null', 'zero-size']);
    // The table is not printed a second time at the end.
    expect(r.stdout.match(/✓ alignment/g)).toHaveLength(1);
    expect(lines.at(-1)).toMatch(/^all checks pass: 3\/3 checks/);
  });

  it('a row is on screen while a later check still runs', async () => {
    // zero-size finishes at once; off-heap-metadata then hangs until its step budget stops it (about 1.5 s idle). The
    // wall-clock backstop is far above that: at 3 s it fired first beside two suites and a CPU hog, a kit error (exit 3).
    const child = execa('node', [BIN, 'test', fixture('student/hangs-with-many-blocks'), '--check', 'zero-size', '--check', 'off-heap-metadata', '--call-timeout', '60000'], {
      reject: false,
      env: { NO_COLOR: '1' },
    });
    let seen = '';
    let exitedBeforeRow: boolean | undefined;
    child.stdout!.on('data', (d: Buffer) => {
      seen += d.toString();
      if (exitedBeforeRow === undefined && seen.includes('✓ zero-size')) exitedBeforeRow = child.exitCode !== null;
    });
    const r = await child;
    expect(exitedBeforeRow).toBe(false);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('off-heap-metadata');
  });

  it('through a pseudo-terminal: a status line naming what runs, erased before the report', async () => {
    // `script` gives the command a real terminal; the hang makes the run last longer than a second.
    const cmd = `node ${BIN} test ${fixture('student/hangs-with-many-blocks')} --check zero-size --check off-heap-metadata --call-timeout 3000`;
    const r = await execa('script', ['-qfec', cmd, '/dev/null'], { reject: false, env: { NO_COLOR: '1', TERM: 'xterm' } });
    expect(r.exitCode).toBe(1);
    const out = r.stdout;
    expect(out).toMatch(/\r\x1b\[K. \d+\/2 done, \d+\.\d s · off-heap-metadata: (warming up|[\d,]+ live blocks)/);
    // The verdict comes after the status line was erased: nothing of it is left on the verdict's line.
    const last = out.trimEnd().split('\n').at(-1)!;
    expect(last.replace(/^.*\r\x1b\[K/, '').replace(/\r$/, '')).toMatch(/^1 check failed: 1\/2 checks/);
  });

  it('--json prints the JSON report and nothing else, --quiet only the failures and the verdict', async () => {
    const json = await execa('node', [BIN, 'test', 'ref:reference', ...CHECKS, '--json'], { reject: false });
    expect(JSON.parse(json.stdout).status).toBe('pass');
    const quiet = await execa('node', [BIN, 'test', 'ref:reference', ...CHECKS, '--quiet'], { reject: false, env: { NO_COLOR: '1' } });
    expect(quiet.stdout).not.toContain('✓');
    expect(quiet.stdout.trim()).toMatch(/^heapgrade test ref:reference\n*all checks pass: 3\/3 checks/);
  });
});
