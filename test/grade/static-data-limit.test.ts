/** The configuration's staticDataLimit decides how many bytes of C globals are allowed. */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../harness/config/load.ts';
import { testOptionsFromConfig } from '../../harness/config/test-options.ts';
import { runTests } from '../../harness/runner/run-tests.ts';

describe('staticDataLimit', () => {
  it('the C reference (4 bytes of globals) passes at the default 128 and fails at 0', async () => {
    const at = async (limit?: number) =>
      runTests('ref:reference-c', { ...testOptionsFromConfig(resolveConfig(limit === undefined ? {} : { staticDataLimit: limit })), checks: ['off-heap-metadata'] });
    expect((await at()).status).toBe('pass');
    const strict = await at(0);
    expect(strict.status).toBe('fail');
    expect(strict.checks[0]!.violations[0]).toMatchObject({ kind: 'off-heap-metadata' });
    expect(strict.checks[0]!.violations[0]!.message).toContain('more than the 0 allowed');
  });
});
