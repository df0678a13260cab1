/**
 * The one child supervisor (harness/isolation/supervise.ts) on real child
 * processes: a child that burns its CPU time is stopped at its limit and it
 * is the student's limit, however long the machine took; an idle child the
 * wall-clock backstop stops is the kit's fault, with the CPU it had used; a
 * memory hog is stopped at its memory limit; the CPU rlimit's SIGXCPU is the
 * same limit; and an end on its own is the student's only when student code
 * ran in it (the compile process runs only the compiler).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { judge, watchChild, type ChildWatch, type Evidence, type SupervisionLimits } from '../../harness/isolation/supervise.ts';
import { treeCpuMs } from '../../harness/isolation/cpu-time.ts';

const WRAPPER = fileURLToPath(new URL('../../harness/isolation/limited-node.sh', import.meta.url));
const WORDS = { what: 'the child', stopped: 'it was stopped', before: 'it started' };
const canReadCpu = treeCpuMs(process.pid) !== undefined;

/** Runs `node -e code` (through the grading child's wrapper with `env`, when given) under watchChild until it ends; what the supervisor saw. */
async function supervised(code: string, limits: SupervisionLimits, wrapperEnv?: Record<string, string>): Promise<{ watch: ChildWatch; cpuMs: number | undefined; signal?: string; exitCode?: number }> {
  const child = wrapperEnv
    ? spawn('sh', [WRAPPER, '-e', code], { stdio: 'ignore', env: { ...process.env, HEAPGRADE_NODE: process.execPath, ...wrapperEnv } })
    : spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
  let cpuMs: number | undefined;
  // What the supervisor read when it stopped the child (the process is still there to read).
  // Declared first: a memory reading over the limit stops the child while watchChild is still starting.
  let watching: ChildWatch | undefined;
  const watch: ChildWatch = (watching = watchChild(child.pid!, {
    ...limits,
    rss: true,
    kill: () => {
      cpuMs = watching?.cpuMs() ?? cpuMs;
      child.kill('SIGKILL');
    },
  }));
  // Read before the process is reaped: afterwards /proc no longer has it.
  const timer = setInterval(() => {
    if (watch.stoppedBy === undefined) cpuMs = watch.cpuMs() ?? cpuMs;
  }, 20);
  const [code_, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (c, s) => resolve([c, s])));
  clearInterval(timer);
  watch.end();
  return { watch, cpuMs, ...(signal ? { signal } : { exitCode: code_ ?? undefined }) };
}

const evidence = (r: Awaited<ReturnType<typeof supervised>>, student: Evidence['student']): Evidence => ({
  ...(r.watch.stoppedBy && { stoppedBy: r.watch.stoppedBy }),
  ...(r.cpuMs !== undefined && { cpuMs: r.cpuMs }),
  ...(r.signal && { signal: r.signal }),
  ...(r.exitCode !== undefined && { exitCode: r.exitCode }),
  student,
  answered: false,
});

describe.skipIf(!canReadCpu)('the child supervisor', () => {
  it('a busy loop is stopped at its CPU limit, the student\'s limit, with the wall-clock backstop far away', async () => {
    const limits = { cpuLimitMs: 300, wallBackstopMs: 600_000, memoryMb: 4096, pollMs: 20 };
    const r = await supervised('for (;;) {}', limits);
    expect(r.watch.stoppedBy).toBe('cpu');
    expect(r.cpuMs).toBeGreaterThan(300);
    expect(judge(evidence(r, 'code'), limits, WORDS)).toStrictEqual({ fault: 'limit', limit: 'cpu', detail: 'the child used more than 0.3 s of CPU; it was stopped' });
    // The compile process's source is the student's too: its limit is theirs.
    expect(judge(evidence(r, 'source'), limits, WORDS)).toMatchObject({ fault: 'limit', limit: 'cpu' });
    // Before any of the student's work began, it is the kit's.
    expect(judge(evidence(r, 'nothing'), limits, WORDS)).toMatchObject({ fault: 'kit', detail: 'the child used its 0.3 s of CPU time before it started' });
  }, 60_000);

  it('an idle child stopped by the wall-clock backstop is the kit\'s fault, saying how little CPU it used', async () => {
    const limits = { cpuLimitMs: 60_000, wallBackstopMs: 500, memoryMb: 4096, pollMs: 20 };
    const r = await supervised('setTimeout(() => {}, 600000)', limits);
    expect(r.watch.stoppedBy).toBe('wall');
    expect(r.signal).toBe('SIGKILL');
    const v = judge(evidence(r, 'code'), limits, WORDS);
    expect(v.fault).toBe('kit');
    expect(v.fault === 'kit' && v.detail).toMatch(/^the child took more than 0\.5 s of wall-clock time \(it had used [0-9.]+ s of CPU, under its limit of 60 s\): the machine was too busy or the kit stuck, not the submission's fault; it was stopped$/);
  }, 60_000);

  it('a memory hog is stopped at its memory limit', async () => {
    const limits = { cpuLimitMs: 600_000, wallBackstopMs: 600_000, memoryMb: 150, pollMs: 20 };
    const r = await supervised('const keep = []; for (;;) keep.push(Buffer.alloc(1 << 20, 1));', limits);
    expect(r.watch.stoppedBy).toBe('memory');
    expect(r.watch.peakKb).toBeGreaterThanOrEqual(150 * 1024);
    expect(judge(evidence(r, 'code'), limits, WORDS)).toStrictEqual({ fault: 'limit', limit: 'memory', detail: 'the child took more than 150 MB of memory; it was stopped' });
  }, 60_000);

  it('the CPU rlimit (SIGXCPU, the backstop when the grader is gone) is the same CPU limit', async () => {
    const limits = { cpuLimitMs: 600_000, wallBackstopMs: 600_000, memoryMb: 4096, pollMs: 20 };
    // The grading child's own wrapper, with a CPU rlimit of 1 s.
    const r = await supervised('for (;;) {}', limits, { HEAPGRADE_CPU_S: '1' });
    expect(r.watch.stoppedBy).toBeUndefined();
    expect(r.signal).toBe('SIGXCPU');
    expect(judge(evidence(r, 'code'), limits, WORDS)).toMatchObject({ fault: 'limit', limit: 'cpu' });
  }, 60_000);

  it('an end on its own is the student\'s only when student code ran in it', async () => {
    const limits = { cpuLimitMs: 600_000, wallBackstopMs: 600_000, memoryMb: 4096, pollMs: 20 };
    const r = await supervised('process.exit(3)', limits);
    expect(r).toMatchObject({ exitCode: 3 });
    expect(r.watch.stoppedBy).toBeUndefined();
    expect(judge(evidence(r, 'code'), limits, WORDS)).toStrictEqual({ fault: 'student', detail: 'the child ended (exit code 3) before it answered' });
    expect(judge(evidence(r, 'source'), limits, WORDS)).toMatchObject({ fault: 'kit' });
    expect(judge(evidence(r, 'nothing'), limits, WORDS)).toStrictEqual({ fault: 'kit', detail: 'the child exited with code 3 before it started' });
    // A clean answer: the answer decides.
    expect(judge({ exitCode: 0, student: 'code', answered: true }, limits, WORDS)).toStrictEqual({ fault: 'none' });
    expect(judge({ exitCode: 1, student: 'code', answered: true }, limits, WORDS)).toMatchObject({ fault: 'student' });
    expect(judge({ spawnFailed: true, student: 'nothing', answered: false }, limits, WORDS)).toMatchObject({ fault: 'kit' });
  }, 60_000);
});
