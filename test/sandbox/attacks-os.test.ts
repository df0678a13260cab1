/**
 * [slow, needs bubblewrap] One fixture per OS-level attack class
 * (test/fixtures/attacks-os/subs), graded through `batch` and through
 * `gradescope` inside the OS sandbox. The fixtures import node: modules, which
 * the language layer (the SES compartment) would refuse at load; both runs
 * pass the test-only `unconfinedForTests` token (harness/trust), so the attacks really run in the
 * child (the fixtures print what they tried and what the OS answered, and the
 * tests check those lines) and what holds here is the OS layer alone: the attacker gets no more than the same
 * allocator without the trick (the reference: `honest`), neighbours keep
 * their grade, nothing changes after the grader exits, the kit's files are
 * unchanged, and the leaker's output holds none of what it tried to read.
 * Never grade these fixtures with `--sandbox off`: they kill processes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJournal, type JournalEntry } from '../../harness/batch/journal.ts';
import { runBatch } from '../../harness/batch/run-batch.ts';
import { graded, runGradescope } from '../../harness/platform/run-gradescope.ts';
import { needsSandbox } from '../helpers/sandbox.ts';
import { probeSandbox } from '../../harness/bwrap/probe.ts';
import { KIT_ROOT } from '../../harness/sandbox/sandbox.ts';
import type { GradeReport } from '../../harness/report/types.ts';
import type { IsolatedResult } from '../../harness/isolation/run-isolated.ts';
import { unconfinedForTests } from '../../harness/trust/policy.ts';

const SUBS = fileURLToPath(new URL('../fixtures/attacks-os/subs', import.meta.url));
const SECRET = `hg-secret-${process.pid}-b7e1`;
const HIDDEN_MARKER = 'HIDDEN-TRACE-MARKER-91c2';
const NEIGHBOUR_MARKER = 'NEIGHBOUR-SOURCE-MARKER-7f3a';
const available = probeSandbox().ok;
const REFERENCE = fileURLToPath(new URL('../../reference/reference.ts', import.meta.url));

/** sha256 of every file of the kit a child could reach, by path. */
function hashTree(dir: string, out = new Map<string, string>()): Map<string, string> {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === '.git' || name === 'test') continue;
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) hashTree(p, out);
    else out.set(p, createHash('sha256').update(readFileSync(p)).digest('hex'));
  }
  return out;
}

const fileHash = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');

function hashFiles(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(dir)) return out;
  const walk = (d: string): void => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(p, createHash('sha256').update(readFileSync(p)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

/** Processes on the host whose command line contains `marker`. */
function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(marker)) found.push(Number(name));
    } catch {
      // gone
    }
  }
  return found;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const points = (r: IsolatedResult): number => (r.report as GradeReport | undefined)?.score ?? 0;

describe.skipIf(!available || process.env.HEAPGRADE_SKIP_SLOW === '1')(needsSandbox('[slow] OS-level attacks, graded through batch in the sandbox'), () => {
  let entries: Map<string, JournalEntry>;
  let out: string;
  let kitBefore: Map<string, string>;
  let outAfterBatch: Map<string, string>;
  let assignment: string;
  const cacheBefore = new Map<string, string>();

  beforeAll(async () => {
    kitBefore = hashTree(KIT_ROOT);
    const root = await mkdtemp(join(tmpdir(), 'heapgrade-attacks-'));
    assignment = join(root, 'assignment');
    await mkdir(join(assignment, 'hidden'), { recursive: true });
    await writeFile(join(assignment, 'hidden', 'secret.rep'), `# ${HIDDEN_MARKER}\n2\n5\na 0 100\na 1 200\nf 0\nr 1 300\nf 1\n`);
    await writeFile(join(assignment, 'heapgrade.config.json'), JSON.stringify({ workloads: { 'secret-one': { file: 'hidden/secret.rep', hidden: true } }, speed: 'cost' }));
    for (const [p, h] of hashFiles(join(tmpdir(), 'heapgrade-cache'))) cacheBefore.set(p, h);
    out = join(root, 'out');
    process.env.HEAPGRADE_TEST_GRADER_SECRET = SECRET;
    try {
      await runBatch({
        dir: SUBS,
        out,
        configPath: join(assignment, 'heapgrade.config.json'),
        mode: 'grade',
        jobs: 2,
        timeoutMs: 90_000,
        memoryMb: 384,
        sandbox: 'required',
        // Trusted-only: without it the fixtures' node: imports fail to load and no attack runs.
        unconfined: unconfinedForTests('the OS sandbox test attacks it with unconfined code'),
        choices: { checks: ['alignment', 'churn'], workloads: ['secret-one'] },
        progress: { write: () => {}, isTTY: false },
      });
    } finally {
      delete process.env.HEAPGRADE_TEST_GRADER_SECRET;
    }
    entries = readJournal(join(out, 'journal.jsonl')).entries;
    outAfterBatch = hashFiles(out);
    // Give any process that outlived its child time to act.
    await sleep(1500);
  }, 900_000);

  it('grades every fixture, in the sandbox, as nobody, under cgroup limits', () => {
    expect([...entries.keys()].sort()).toStrictEqual(readdirSync(SUBS).map((f) => f.replace(/\.ts$/, '')).sort());
    expect(entries.get('honest')!.result.protections?.user).toBe('nobody');
    for (const [id, e] of entries) {
      expect(e.result.protections?.osSandbox, id).toBe('bubblewrap');
      expect(e.result.protections?.network, id).toBe('none');
      expect(e.result.status, id).not.toBe('error');
    }
  });

  it('says which protections were in force, in the gradebook and the per-student text', () => {
    const csv = readFileSync(join(out, 'gradebook.csv'), 'utf8').split('\n');
    expect(csv[0]!.endsWith(',protections')).toBe(true);
    expect(csv.find((l) => l.startsWith('honest,'))).toMatch(/,bubblewrap nobody cgroup-v[12] network-none$/);
    expect(readFileSync(join(out, 'students', 'honest.txt'), 'utf8')).toContain('protections: OS sandbox bubblewrap, user nobody');
  });

  it('the honest neighbour keeps its full grade', () => {
    const honest = entries.get('honest')!.result;
    expect(honest.outcome).toBe('graded');
    expect(honest.status).toBe('pass');
    // The hidden workload reached the child as data, and was graded.
    expect((honest.report as GradeReport).workloads.map((w) => [w.name, w.status])).toStrictEqual([['secret-one', 'pass']]);
  });

  it('no attacker gets more than the same allocator without the trick', () => {
    const honest = points(entries.get('honest')!.result);
    expect(honest).toBeGreaterThan(0);
    for (const [id, e] of entries) if (id !== 'honest-c') expect(points(e.result), id).toBeLessThanOrEqual(honest);
  });

  // The cache poisoner is not among them: it poisons its own private bundle cache too, and loses points by it.
  it('attacks that only touch the outside are graded like the honest allocator (they changed nothing)', () => {
    const honest = points(entries.get('honest')!.result);
    for (const id of ['neighbour-killer', 'kit-editor', 'daemon', 'file-leaver', 'leaker']) {
      expect(entries.get(id)!.result.outcome, id).toBe('graded');
      expect(points(entries.get(id)!.result), id).toBe(honest);
    }
  });

  it('the memory escaper is stopped by a limit that counts its grandchildren', () => {
    const r = entries.get('memory-escaper')!.result;
    expect(r.protections?.memoryLimit).toMatch(/^cgroup/);
    expect(r.outcome).toBe('out-of-memory');
    expect(r.status).toBe('fail');
  });

  it('the fork bomb hits the process limit, and is the student\'s failure, not the kit\'s', () => {
    const r = entries.get('fork-bomb')!.result;
    expect(r.protections?.pids).toMatch(/^cgroup/);
    expect(r.status).not.toBe('error');
    expect(points(r)).toBeLessThanOrEqual(points(entries.get('honest')!.result));
  });

  it('leaves the kit unchanged', () => {
    const after = hashTree(KIT_ROOT);
    const changed = [...kitBefore].filter(([p, h]) => after.get(p) !== h).map(([p]) => p);
    expect(changed).toStrictEqual([]);
  });

  it('the C neighbour keeps its grade, and the shared compile/bundle cache is unchanged', () => {
    const c = entries.get('honest-c')!.result;
    expect(c.outcome).toBe('graded');
    expect(c.status).toBe('pass');
    for (const [p, h] of cacheBefore) if (existsSync(p)) expect(fileHash(p), p).toBe(h);
  });

  it('the leaker printed none of what it tried to read', () => {
    const r = entries.get('leaker')!.result;
    const shown = `${r.stdout}\n${r.stderr}\n${JSON.stringify(r.report)}`;
    expect(shown).toContain('ENV '); // it ran, and printed
    for (const secret of [SECRET, HIDDEN_MARKER, NEIGHBOUR_MARKER, 'root:x:0:0', 'DAEMON-WAS-HERE']) expect(shown, secret).not.toContain(secret);
    // Not the other submissions' sources, nor the results folder.
    expect(shown).not.toMatch(/FILE [^\n]*attacks-os\/subs\/(honest|daemon|kit-editor)/);
    expect(shown).not.toContain('journal.jsonl');
  });

  it('the attacks ran unconfined in the child: the leaker and the kit editor say what the OS refused them', () => {
    // The correctness checks are not hidden: what the submission printed while loading is in their output.
    const leaker = JSON.stringify(entries.get('leaker')!.result.report);
    expect(leaker).toMatch(/leaker: read \/etc\/shadow answered (EACCES|ENOENT|EPERM)/);
    expect(leaker).toMatch(/leaker: read \/root\/\.bashrc answered (EACCES|ENOENT|EPERM)/);
    expect(JSON.stringify(entries.get('neighbour-killer')!.result.report)).toMatch(/neighbour-killer: saw \d+ process\(es\)/);
    expect(JSON.stringify(entries.get('kit-editor')!.result.report)).toMatch(/kit-editor: \d+ kit mount\(s\), edited 0 file\(s\)/);
  });

  it('nothing that a child started is still running, and nothing changed after the batch', async () => {
    expect(processesWith('heapgrade-daemon-marker')).toStrictEqual([]);
    expect(processesWith('sleep 600').length).toBe(0);
    await sleep(1000);
    expect(hashFiles(out)).toStrictEqual(outAfterBatch);
    expect(readFileSync(join(out, 'gradebook.csv'), 'utf8')).not.toContain('DAEMON-WAS-HERE');
    expect(existsSync(`${SUBS}-results`)).toBe(false);
    expect(existsSync(join(tmpdir(), 'heapgrade-left-behind-marker.txt'))).toBe(false);
    expect(existsSync(join(tmpdir(), 'heapgrade-left-behind-marker-2.txt'))).toBe(false);
    expect(readdirSync(SUBS).filter((n) => n.includes('left-behind'))).toStrictEqual([]);
  });
});

describe.skipIf(!available || process.env.HEAPGRADE_SKIP_SLOW === '1')(needsSandbox('[slow] OS-level attacks, graded through gradescope in the sandbox'), () => {
  const results = new Map<string, { score: number | undefined; outcome: string; text: string; file: string }>();
  let kitBefore: Map<string, string>;
  // A process of the grading host the neighbour killer is told to kill (its pid is written into the fixture's source).
  let victim: ChildProcess;

  beforeAll(async () => {
    kitBefore = hashTree(KIT_ROOT);
    victim = spawn('sleep', ['3607'], { stdio: 'ignore' });
    const root = await mkdtemp(join(tmpdir(), 'heapgrade-attacks-gs-'));
    process.env.HEAPGRADE_TEST_GRADER_SECRET = SECRET;
    try {
      // The fork bomb is graded through batch only: it runs into the overall limit (90 s here).
      const ids = ['honest', 'leaker', 'daemon', 'neighbour-killer', 'memory-escaper', 'kit-editor', 'cache-poisoner', 'file-leaver'];
      // Two at a time, as two Gradescope containers would: the neighbour killer has neighbours.
      for (let i = 0; i < ids.length; i += 2) {
        await Promise.all(
          ids.slice(i, i + 2).map(async (id) => {
            const file = join(root, id, 'results', 'results.json');
            // Gradescope's layout: the student's files in a folder of their own.
            const submission = join(root, id, 'submission');
            await mkdir(submission, { recursive: true });
            const source = readFileSync(join(SUBS, `${id}.ts`), 'utf8')
              .replaceAll("'../../../../reference/reference.ts'", JSON.stringify(REFERENCE))
              .replaceAll("'HOST-VICTIM-PID'", `'${victim.pid}'`);
            await writeFile(join(submission, 'allocator.ts'), source);
            const run = await runGradescope({
              submission,
              results: file,
              timeoutMs: 90_000,
              memoryMb: 384,
              outputFormat: 'text',
              mode: 'test',
              sandbox: 'required',
              // Trusted-only: without it the fixtures' node: imports fail to load and no attack runs.
              unconfined: unconfinedForTests('the OS sandbox test attacks it with unconfined code'),
              choices: { checks: ['alignment', 'churn'] },
            });
            const { results: r, isolated } = graded(run);
            // What the child recorded (no hidden workload here: nothing of its output is withheld).
            results.set(id, { score: r.score, outcome: isolated.outcome, text: `${JSON.stringify(r)}\n${isolated.stdout}\n${isolated.stderr}\n${JSON.stringify(isolated.report)}`, file });
          }),
        );
      }
    } finally {
      delete process.env.HEAPGRADE_TEST_GRADER_SECRET;
    }
    await sleep(1500);
  }, 900_000);

  afterAll(() => {
    victim?.kill('SIGKILL');
  });

  it('the attacks ran unconfined in the child, and the OS refused them', () => {
    const killer = results.get('neighbour-killer')!.text;
    expect(killer).toMatch(/neighbour-killer: saw \d+ process\(es\)/);
    // It aimed at a host process by pid: outside its PID namespace, the kernel answered that there is no such process (or not its to kill).
    expect(killer).toMatch(new RegExp(`neighbour-killer: kill ${victim.pid} answered (ESRCH|EPERM)`));
    expect(victim.exitCode).toBeNull();
    expect(victim.signalCode).toBeNull();
    const leaker = results.get('leaker')!.text;
    expect(leaker).toMatch(/leaker: read \/etc\/shadow answered (EACCES|ENOENT|EPERM)/);
    expect(leaker).toMatch(/leaker: read \/root\/\.bashrc answered (EACCES|ENOENT|EPERM)/);
    expect(results.get('kit-editor')!.text).toMatch(/kit-editor: \d+ kit mount\(s\), edited 0 file\(s\)/);
    // None of them failed to load: the node: imports were allowed (unconfined), so the grade is the reference's.
    for (const id of ['leaker', 'neighbour-killer', 'kit-editor']) expect(results.get(id)!.text, id).not.toContain('cannot be imported: an allocator gets only the heap');
  });

  it('the honest submission gets full marks, and results.json says what protected it', () => {
    const honest = results.get('honest')!;
    expect(honest.outcome).toBe('graded');
    expect(honest.score).toBe(20);
    const json = JSON.parse(readFileSync(honest.file, 'utf8')) as { extra_data?: { protections?: { osSandbox: string; user: string } }; output?: string };
    expect(json.extra_data?.protections?.osSandbox).toBe('bubblewrap');
    expect(json.output).toContain('protections: OS sandbox bubblewrap');
  });

  it('no attacker scores more than the honest allocator; the outside-only attacks score the same', () => {
    for (const [id, r] of results) expect(r.score ?? 0, id).toBeLessThanOrEqual(20);
    for (const id of ['leaker', 'daemon', 'neighbour-killer', 'kit-editor', 'file-leaver']) expect(results.get(id)!.score, id).toBe(20);
    expect(results.get('memory-escaper')!.outcome).toBe('out-of-memory');
  });

  it('results.json files are not rewritten after the grader is done, and the leaker leaked nothing', () => {
    for (const [id, r] of results) expect(readFileSync(r.file, 'utf8'), id).not.toContain('DAEMON-WAS-HERE');
    const leaked = results.get('leaker')!.text;
    for (const secret of [SECRET, NEIGHBOUR_MARKER, 'root:x:0:0']) expect(leaked, secret).not.toContain(secret);
    expect(processesWith('heapgrade-daemon-marker')).toStrictEqual([]);
    expect(existsSync(join(tmpdir(), 'heapgrade-left-behind-marker-2.txt'))).toBe(false);
  });

  it('leaves the kit unchanged', () => {
    const after = hashTree(KIT_ROOT);
    expect([...kitBefore].filter(([p, h]) => after.get(p) !== h).map(([p]) => p)).toStrictEqual([]);
  });
});
