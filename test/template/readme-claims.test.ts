/**
 * What the template READMEs tell students, exercised: throughput is the
 * reference's metered cost per operation over the submission's, not
 * operations per second on the machine.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../harness/config/index.ts';
import { gradeSubmission } from '../../harness/grade/grade.ts';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

describe('the template README', () => {
  it('throughput is metered cost relative to the reference, as the README says', async () => {
    const readme = readFileSync(here('../../student-template/ts/README.md'), 'utf8');
    expect(readme).toMatch(/\*\*throughput\*\*: the reference allocator's metered cost per operation\s+divided by yours/);
    expect(readme).not.toMatch(/operations per second relative/);
    const r = await gradeSubmission(here('../../student-template/ts/allocator.ts'), { config: resolveConfig({}), checks: ['alignment'], workloads: ['coalescing'] });
    expect(r.error).toBeUndefined();
    const w = r.workloads[0]!;
    expect(w.costRatio).toBeDefined();
    expect(w.throughput).toBe(w.costRatio);
    expect(w.wallclockRatio).toBeUndefined();
  }, 300_000);
});
