/**
 * [slow] Gradescope from a packed kit, as a course would use it: `npm pack`
 * the kit, install the tarball into a fresh course folder, run `heapgrade
 * gradescope pack` there (no arguments: ./heapgrade.config.json, and a
 * lockfile made for the installed kit), unzip the archive into a simulated
 * /autograder tree, run the archive's own setup.sh (system packages skipped:
 * HEAPGRADE_SKIP_SYSTEM=1) and run_autograder (HEAPGRADE_AUTOGRADER_ROOT
 * points at the tree; no chroot), and validate results.json. The submission
 * is a C allocator whose output attacks what people read (escape sequences,
 * HTML, Markdown): Gradescope must show it inert, fenced. Then the same
 * tree as a container that refuses namespaces (HEAPGRADE_BWRAP=/bin/false):
 * the same score, graded with the protections that remain and saying which;
 * and with `"sandbox": "required"` in the configuration, a results.json that
 * explains instead of an empty results/.
 */
import { execa } from 'execa';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ensureFreshDist } from '../helpers/fresh-dist.ts';
import type { GradescopeResults } from '../../harness/platform/gradescope.ts';
import { validateGradescope } from './validators.ts';
import { SANDBOX_WORKS } from '../helpers/sandbox.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SUBMISSION = fileURLToPath(new URL('../fixtures/platform/injects.c', import.meta.url));
const TRACE = fileURLToPath(new URL('../trace/fixtures/gen2002.rep', import.meta.url));
const NPM = ['--no-audit', '--no-fund', '--prefer-offline'];

if (!existsSync('/usr/bin/unzip')) console.warn('[slow] Gradescope from a packed kit: skipped: needs unzip (apt-get install unzip)');
describe.skipIf(process.env.HEAPGRADE_SKIP_SLOW === '1' || !existsSync('/usr/bin/unzip'))('[slow] Gradescope from a packed kit', () => {
  it('packs, sets up and grades in a simulated /autograder tree', async () => {
    // Arrange: the kit as a tarball, installed into a course folder with its configuration and a trace file.
    const work = await mkdtemp(join(tmpdir(), 'heapgrade-gs-'));
    // Like Gradescope's /autograder (root's, readable by all): a child without bwrap can still drop to nobody.
    chmodSync(work, 0o755);
    // The built kit (rebuilt only when stale), never rebuilt by `prepare` under another test reading dist/.
    ensureFreshDist();
    const packed = await execa('npm', ['pack', '--ignore-scripts', '--pack-destination', work, '--silent'], { cwd: ROOT });
    const tarball = join(work, packed.stdout.trim().split('\n').pop()!);
    const course = join(work, 'course');
    mkdirSync(join(course, 'traces'), { recursive: true });
    writeFileSync(join(course, 'package.json'), JSON.stringify({ name: 'course', private: true, dependencies: { heapgrade: `file:${tarball}` } }));
    await execa('npm', ['install', ...NPM], { cwd: course });
    copyFileSync(TRACE, join(course, 'traces', 'hidden.rep'));
    const config = { onlyListedWorkloads: true, workloads: { coalescing: { weight: 1 }, hidden: { file: 'traces/hidden.rep', weight: 2, hidden: true } }, speed: 'cost', timing: { rounds: 3, minSampleMs: 1 } };
    writeFileSync(join(course, 'heapgrade.config.json'), JSON.stringify(config, null, 2));
    const kit = join(course, 'node_modules', 'heapgrade');
    expect(existsSync(join(kit, 'package-lock.json')), 'npm ships no package-lock.json: the pack must make one').toBe(false);

    // Act 1: pack from the installed kit, with no arguments.
    const pack = await execa(join(course, 'node_modules', '.bin', 'heapgrade'), ['gradescope', 'pack'], { cwd: course });
    expect(pack.stdout).toContain(`configuration ${join(course, 'heapgrade.config.json')}`);

    // Act 2: unzip into <root>/source as Gradescope does, run setup.sh, put the submission in place, run run_autograder.
    const root = join(work, 'autograder');
    mkdirSync(join(root, 'source'), { recursive: true });
    await execa('unzip', ['-q', join(course, 'autograder.zip'), '-d', join(root, 'source')]);
    const env = { HEAPGRADE_AUTOGRADER_ROOT: root, HEAPGRADE_SKIP_SYSTEM: '1' };
    expect(existsSync(join(root, 'source', 'heapgrade', 'package-lock.json'))).toBe(true);
    expect(existsSync(join(root, 'source', 'traces', 'hidden.rep'))).toBe(true);
    const setup = await execa('bash', [join(root, 'source', 'setup.sh')], { env, reject: false });
    expect(setup.exitCode, setup.stderr).toBe(0);
    expect(setup.stdout).toMatch(/C runtime and ref:reference-c compiled into .*heapgrade-cache/);
    expect(readdirSync(join(root, 'source', 'heapgrade-cache')).length, 'setup.sh warmed the C cache').toBeGreaterThan(0);
    mkdirSync(join(root, 'submission'));
    copyFileSync(SUBMISSION, join(root, 'submission', 'mm.c'));
    const run = await execa(join(root, 'source', 'run_autograder'), [], { env, reject: false });

    // Assert: a valid results.json whose parts add up to exactly 100, with the hidden workload hidden.
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0);
    const results = JSON.parse(readFileSync(join(root, 'results', 'results.json'), 'utf8')) as GradescopeResults;
    expect(validateGradescope(results)).toStrictEqual([]);
    const tests = results.tests!;
    expect(Math.round(tests.reduce((s, t) => s + (t.max_score ?? 0), 0) * 100)).toBe(10_000);
    expect(tests.find((t) => t.name === 'Performance: hidden')?.visibility).toBe('after_published');
    expect(results.extra_data?.heapgrade_status).toBe('pass');
    // Assert: the submission's output is shown, inert. No escape sequence survives anywhere,
    // and the HTML/Markdown it printed sits only inside a fence longer than its own backtick run.
    const all = JSON.stringify(results);
    expect(all).not.toMatch(/\\u001b|\\u0007|\\u009b|\\r/);
    const shown = tests.map((t) => t.output ?? '').find((o) => o.includes('ALL TESTS PASSED'));
    expect(shown, 'the printed output is shown with a check').toBeDefined();
    const fenced = /(`{5})text\n([\s\S]*?)\n\1(?!`)/.exec(shown!);
    expect(fenced, shown).not.toBeNull();
    expect(fenced![2]).toContain('</pre><script>window.__pwned = 1</script>');
    expect(fenced![2]).toContain('# Full marks');
    expect(shown!.replace(fenced![0], '')).not.toMatch(/<script|# Full marks|\]\(https/);
    expect(fenced![2]).toContain('score: 0\nscore: 100'); // the carriage return cannot overwrite "score: 0"
    expect(results.output).toContain(`protections: OS sandbox ${SANDBOX_WORKS ? 'bubblewrap' : 'none'}`);

    // Act 3: the container refuses namespaces. The same grade, from the protections that remain, which it names.
    const refused = { ...env, HEAPGRADE_BWRAP: '/bin/false' };
    const fallback = await execa(join(root, 'source', 'run_autograder'), [], { env: refused, reject: false });
    expect(fallback.exitCode, `${fallback.stdout}\n${fallback.stderr}`).toBe(0);
    const fell = JSON.parse(readFileSync(join(root, 'results', 'results.json'), 'utf8')) as GradescopeResults;
    expect(validateGradescope(fell)).toStrictEqual([]);
    expect(fell.score).toBe(results.score);
    expect(fell.output).toMatch(/protections: OS sandbox none, user \w+, memory limit [\w-]+, process limit [\w-]+, network host, filesystem: host \(.*cannot create namespaces/);
    const protections = fell.extra_data?.protections as { osSandbox: string; user: string };
    expect(protections.osSandbox).toBe('none');
    if (process.getuid?.() === 0 && existsSync('/usr/bin/setpriv')) expect(protections.user).toBe('nobody');

    // Act 4: a course that insists on the OS sandbox: not graded, and results.json says why and how to fix it.
    writeFileSync(join(root, 'source', 'heapgrade.config.json'), JSON.stringify({ ...config, sandbox: 'required' }));
    const strict = await execa(join(root, 'source', 'run_autograder'), [], { env: refused, reject: false });
    expect(strict.exitCode).toBe(2);
    const explained = JSON.parse(readFileSync(join(root, 'results', 'results.json'), 'utf8')) as GradescopeResults;
    expect(validateGradescope(explained)).toStrictEqual([]);
    expect(explained.score).toBe(0);
    expect(explained.tests?.map((t) => [t.name, t.score, t.max_score])).toStrictEqual([['Grading environment: OS sandbox required', 0, 0]]);
    expect(explained.output).toContain('NOT GRADED');
    expect(explained.tests![0]!.output).toMatch(/cannot create namespaces.*set "sandbox": "auto" in heapgrade\\\.config\\\.json/);
  }, 600_000);
});
