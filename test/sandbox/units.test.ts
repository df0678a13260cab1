/** The sandbox's parts one by one: the channel with streamed results, partial reports, the journal's per-check records, cache staging, bwrap's command line, the probe. */
import { createHash } from 'node:crypto';
import { lstatSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JournalWriter, readJournal } from '../../harness/batch/journal.ts';
import { resolveConfig } from '../../harness/config/load.ts';
import { KNOWN_NAMES } from '../../harness/config/test-options.ts';
import { partialReport } from '../../harness/isolation/partial.ts';
import { PLAN_VERSION, type GradingPlan } from '../../harness/plan/types.ts';
import { judgeChannel } from '../../harness/isolation/protocol.ts';
import type { CheckResult, GradeReport } from '../../harness/report/types.ts';
import { bwrapArgs } from '../../harness/bwrap/args.ts';
import { PoisonedCacheError, stageCompiledModules, stageReadable } from '../../harness/sandbox/cache-stage.ts';
import { probeWith } from '../../harness/bwrap/probe.ts';
import { readCSources } from '../../harness/wasm/sources.ts';

const NONCE = 'n0nce';
const check = (name: string, status: 'pass' | 'fail', points: number, maxPoints = 10): CheckResult => ({
  name, description: '', points, maxPoints, status, violations: [], ops: 1, durationMs: 1,
});
const ready = { kind: 'ready', nonce: NONCE, pid: 1 };
const final = { kind: 'result', nonce: NONCE, report: { version: 1, submission: 's', status: 'pass', checks: [check('a', 'pass', 10)], durationMs: 1 } };

describe('judgeChannel with streamed results', () => {
  it('accepts ready, any number of streamed results, then the final message', () => {
    const streamed = { kind: 'check', nonce: NONCE, result: check('a', 'pass', 10) };
    expect(judgeChannel([ready, streamed, streamed, final], NONCE).kind).toBe('final');
    expect(judgeChannel([ready, streamed], NONCE).kind).toBe('ready-only');
  });

  it('calls a streamed result without the nonce, with impossible points, or after the final message forged', () => {
    expect(judgeChannel([ready, { kind: 'check', nonce: 'guess', result: check('a', 'pass', 10) }, final], NONCE).kind).toBe('forged');
    expect(judgeChannel([ready, { kind: 'check', nonce: NONCE, result: check('a', 'pass', 1000) }, final], NONCE).kind).toBe('forged');
    expect(judgeChannel([ready, final, { kind: 'check', nonce: NONCE, result: check('a', 'pass', 10) }], NONCE).kind).toBe('forged');
  });
});

describe('partialReport', () => {
  const config = resolveConfig({ checks: { churn: 30 } }, KNOWN_NAMES);
  const plan = (mode: 'test' | 'grade'): GradingPlan => ({
    version: PLAN_VERSION,
    mode,
    submission: 's',
    profile: config.profile,
    configFile: null,
    configDir: '/',
    config,
    seed: 1,
    checkHeap: false,
    compiler: 'auto',
    checks: [{ name: 'a', description: 'A', maxPoints: 10 }, { name: 'churn', description: 'B', maxPoints: 30 }, { name: 'c', description: 'C', maxPoints: 5 }],
    workloads: [{ name: 'w', description: 'W', file: '/x.rep', weight: 1, hidden: false }],
    traceReading: 'strict',
    sandbox: { confine: true, os: 'off' },
  });

  it('keeps what was streamed, applies the configured points, and marks the rest not run with the reason', () => {
    const r = partialReport(plan('test'), 's', { checks: [check('a', 'pass', 10), check('churn', 'pass', 12, 12)], workloads: [] }, 'timed out', 5);
    expect(r.status).toBe('fail');
    expect(r.checks.map((c) => [c.name, c.points, c.maxPoints, c.notRun])).toStrictEqual([
      ['a', 10, 10, undefined],
      ['churn', 30, 30, undefined],
      ['c', 0, 5, 'timed out'],
    ]);
  });

  it('in grade mode, scores the correctness earned and marks unrun workloads', () => {
    const r = partialReport(plan('grade'), 's', { checks: [check('a', 'pass', 10)], workloads: [] }, 'timed out', 5) as GradeReport;
    expect(r.correctness).toStrictEqual({ points: 10, maxPoints: 45 });
    expect(r.score).toBeGreaterThan(0);
    expect(r.workloads[0]!.notRun).toBe('timed out');
  });
});

describe('the journal keeps per-check records', () => {
  it('collects streamed results per id until a final line settles it', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hg-journal-')), 'journal.jsonl');
    const w = new JournalWriter(path, { journal: 1, mode: 'test', config: null, startedAt: 'now' });
    w.recordProgress({ id: 'x', progress: 'check', result: check('a', 'pass', 10) });
    w.recordProgress({ id: 'y', progress: 'check', result: check('a', 'pass', 10) });
    w.record({ id: 'y', finishedAt: 'now', result: { spec: 'y', mode: 'test', outcome: 'graded', status: 'pass', detail: '', durationMs: 1, peakRssMb: 0, stdout: '', stderr: '' } });
    w.close();
    const j = readJournal(path);
    expect([...j.progress.keys()]).toStrictEqual(['x']);
    expect(j.progress.get('x')!.checks.map((c) => c.name)).toStrictEqual(['a']);
    expect([...j.entries.keys()]).toStrictEqual(['y']);
  });
});

describe('stageCompiledModules', () => {
  const saved = process.env.HEAPGRADE_CACHE_DIR;
  afterEach(() => {
    if (saved === undefined) delete process.env.HEAPGRADE_CACHE_DIR;
    else process.env.HEAPGRADE_CACHE_DIR = saved;
  });

  it('copies an entry whose module matches the compiler\'s hash, readable by all and with the metadata from memory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hg-cache-'));
    process.env.HEAPGRADE_CACHE_DIR = dir;
    const wasm = Buffer.from('module bytes');
    writeFileSync(join(dir, 'k1.wasm'), wasm);
    writeFileSync(join(dir, 'k1.json'), '{"poisoned":true}');
    const stage = stageCompiledModules([{ key: 'k1', sha256: createHash('sha256').update(wasm).digest('hex'), meta: '{"api":1}' }]);
    expect(readFileSync(join(stage, 'k1.wasm'))).toStrictEqual(wasm);
    expect(readFileSync(join(stage, 'k1.json'), 'utf8')).toBe('{"api":1}');
    expect(statSync(join(stage, 'k1.wasm')).mode & 0o777).toBe(0o644);
  });

  it('refuses an entry changed on disk since the compiler produced it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hg-cache-'));
    process.env.HEAPGRADE_CACHE_DIR = dir;
    writeFileSync(join(dir, 'k2.wasm'), 'POISONED');
    const sha = createHash('sha256').update('the real module').digest('hex');
    expect(() => stageCompiledModules([{ key: 'k2', sha256: sha, meta: '{}' }])).toThrow(PoisonedCacheError);
  });
});

describe('bwrapArgs', () => {
  it('unshares everything, binds read-only, hides folders and files under bound ones, and dies with the grader', () => {
    const args = bwrapArgs({ readOnly: ['/kit'], hide: ['/kit/test', '/elsewhere'], hideFiles: ['/kit/secret.rep', '/other.rep'], writable: ['/scratch'], mapped: [['/copy', '/sub.ts']], cwd: '/tmp' });
    const line = args.join(' ');
    for (const flag of ['--unshare-all', '--die-with-parent', '--new-session', '--tmpfs /tmp', '--ro-bind /kit /kit', '--tmpfs /kit/test', '--ro-bind /dev/null /kit/secret.rep', '--bind /scratch /scratch', '--ro-bind /copy /sub.ts']) {
      expect(line).toContain(flag);
    }
    expect(line).not.toContain('/elsewhere');
    expect(line).not.toContain('/other.rep');
    expect(args).not.toContain('--share-net');
  });

  it("binds a staged kit copy at the kit's own path, before the hides under it", () => {
    const args = bwrapArgs({ readOnly: [], readOnlyMapped: [['/stage/0', '/home/x/node_modules']], hide: ['/home/x/node_modules/heapgrade/test'], hideFiles: ['/home/x/node_modules/secret.rep'], writable: [], mapped: [], cwd: '/tmp' });
    const line = args.join(' ');
    expect(line).toContain('--ro-bind /stage/0 /home/x/node_modules');
    expect(line.indexOf('--ro-bind /stage/0')).toBeLessThan(line.indexOf('--tmpfs /home/x/node_modules/heapgrade/test'));
    expect(line).toContain('--ro-bind /dev/null /home/x/node_modules/secret.rep');
  });
});

describe('probe', () => {
  it('says what to install when bubblewrap is missing', () => {
    const r = probeWith(undefined);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.why).toMatch(process.platform === 'linux' ? /apt-get install bubblewrap/ : /Linux only/);
  });

  it('says that namespaces are refused, and that --sandbox auto is the way, when bwrap cannot start', () => {
    // `false` stands for a bwrap that the platform does not let create namespaces.
    const r = probeWith('/bin/false');
    expect(r.ok).toBe(false);
    if (!r.ok && process.platform === 'linux') expect(r.why).toMatch(/cannot create namespaces.*--sandbox auto/);
  });
});

describe('stageReadable', () => {
  it('copies a submission readable by all, and copies its symbolic links as links, never what they point at', () => {
    const sub = mkdtempSync(join(tmpdir(), 'hg-sub-'));
    writeFileSync(join(sub, 'allocator.ts'), 'export {};');
    const secret = join(mkdtempSync(join(tmpdir(), 'hg-secret-')), 'secret.txt');
    writeFileSync(secret, 'TOP SECRET', { mode: 0o600 });
    symlinkSync(secret, join(sub, 'steal.txt'));
    const { mapped } = stageReadable([sub]);
    const [copy, original] = mapped[0]!;
    expect(original).toBe(sub);
    expect(statSync(join(copy, 'allocator.ts')).mode & 0o777).toBe(0o644);
    expect(lstatSync(join(copy, 'steal.txt')).isSymbolicLink()).toBe(true);
    // The target was neither copied nor opened up.
    expect(statSync(secret).mode & 0o777).toBe(0o600);
  });
});

describe('C sources', () => {
  it('refuses a symbolic link in a C submission folder (it would make the compiler print a host file)', async () => {
    const sub = mkdtempSync(join(tmpdir(), 'hg-csub-'));
    writeFileSync(join(sub, 'mm.c'), '#include "mm.h"\n');
    symlinkSync('/etc/passwd', join(sub, 'mm.h'));
    await expect(readCSources(sub)).rejects.toThrow(/mm\.h is a symbolic link/);
  });
});
