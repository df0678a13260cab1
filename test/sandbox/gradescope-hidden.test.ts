/**
 * [slow] A hidden workload reaches the sandboxed child as data (its trace is
 * not even a file the child could open), and with hidden workloads in the
 * grade, nothing the submission prints is shown in Gradescope's results.json
 * (it could be the hidden trace, recorded from the calls it received).
 */
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { graded, runGradescope } from '../../harness/platform/run-gradescope.ts';
import { needsSandbox } from '../helpers/sandbox.ts';
import { probeSandbox } from '../../harness/bwrap/probe.ts';
import { unconfinedForTests } from '../../harness/trust/policy.ts';

const REFERENCE = fileURLToPath(new URL('../../reference/reference.ts', import.meta.url));
const MARKER = 'HIDDEN-TRACE-MARKER-5d0e';

describe.skipIf(!probeSandbox().ok || process.env.HEAPGRADE_SKIP_SLOW === '1')(needsSandbox('[slow] hidden workloads in gradescope'), () => {
  it('grades the hidden workload from data, and shows none of what the submission printed', async () => {
    const root = await mkdtemp(join(tmpdir(), 'heapgrade-gs-hidden-'));
    await mkdir(join(root, 'source', 'hidden'), { recursive: true });
    await mkdir(join(root, 'submission'));
    await writeFile(join(root, 'source', 'hidden', 'secret.rep'), `# ${MARKER}\n2\n5\na 0 100003\na 1 200003\nf 0\nr 1 300003\nf 1\n`);
    await writeFile(join(root, 'source', 'heapgrade.config.json'), JSON.stringify({ workloads: { 'secret-one': { file: 'hidden/secret.rep', hidden: true } }, speed: 'cost' }));
    // Prints every call it receives (a trace recorder), and tries to open the trace file itself.
    await writeFile(
      join(root, 'submission', 'allocator.ts'),
      `import reference from ${JSON.stringify(REFERENCE)};
import { readFileSync } from 'node:fs';
let stolen = '';
try { stolen = readFileSync(${JSON.stringify(join(root, 'source', 'hidden', 'secret.rep'))}, 'utf8'); } catch { stolen = 'unreadable'; }
console.log('STOLEN:' + stolen);
export default function createAllocator(heap: Parameters<typeof reference>[0]) {
  const inner = reference(heap);
  return { ...inner, malloc(n: number) { console.log('RECORDED malloc ' + n); return inner.malloc(n); } };
}
`,
    );
    const file = join(root, 'results', 'results.json');
    const run = await runGradescope({
      submission: join(root, 'submission'),
      results: file,
      configPath: join(root, 'source', 'heapgrade.config.json'),
      timeoutMs: 120_000,
      memoryMb: 512,
      outputFormat: 'text',
      mode: 'grade',
      sandbox: 'required',
      choices: { checks: ['alignment'], workloads: ['secret-one'] },
      // Unconfined (trusted test switch): the submission really tries to open the trace, so the OS layer alone is what stops it.
      unconfined: unconfinedForTests('the OS sandbox test attacks it with unconfined code'),
    });
    const { results, isolated } = graded(run);
    expect(isolated.outcome).toBe('graded');
    // The child could not open the trace (it saw /dev/null at best), yet the workload was graded from data.
    expect(isolated.stdout).not.toContain(MARKER);
    expect(isolated.stdout).toContain('STOLEN:unreadable');
    expect(isolated.stdout).not.toContain('malloc 100003');
    const workload = (isolated.report as { workloads: { name: string; status: string; ops: number }[] }).workloads[0]!;
    expect([workload.name, workload.status, workload.ops]).toStrictEqual(['secret-one', 'pass', 5]);
    const written = readFileSync(file, 'utf8');
    // What it printed during the checks is its own debugging output, shown with each check; what it printed
    // during the hidden workload (sizes only that trace has) is not, and neither is its top-level output.
    expect(written).not.toContain('malloc 100003');
    expect(written).not.toContain('malloc 200003');
    expect(written).not.toContain(MARKER);
    expect(results.output).not.toContain('STOLEN');
    expect(results.output).toContain('not shown: this grade includes hidden workloads');
  }, 300_000);
});
