/**
 * The 2002 handout's `team` is exempt from the static-data rule as the
 * handout's struct only (issue 19): the main file's `team_t team`, no bigger
 * than that struct. A 64 KiB array named `team` in a second file is a side
 * table like any other and fails off-heap-metadata;
 * the handout's own mm.c, team included, passes.
 */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testOptionsFromConfig } from '../../harness/config/test-options.ts';
import { validateConfig } from '../../harness/config/validate.ts';
import { runTests } from '../../harness/runner/run-tests.ts';
import { compileProfileOf } from '../../harness/wasm/compile-profile.ts';
import { loadCSubmission } from '../../harness/wasm/load.ts';
import { FIXTURES } from '../wasm/helpers.ts';

const HANDOUT = join(FIXTURES, 'handouts/malloclab-2002');
const PROFILE = 'malloclab-2002';
const options = { ...testOptionsFromConfig(validateConfig({ profile: PROFILE }, { source: 'test' }).config!), jobs: 1, checks: ['off-heap-metadata'] };

/** A folder submission: the handout's mm.c and memlib.h, plus `extra` files. */
function folder(extra: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'heapgrade-team-'));
  copyFileSync(join(HANDOUT, 'mm.c'), join(dir, 'mm.c'));
  copyFileSync(join(HANDOUT, 'memlib.h'), join(dir, 'memlib.h'));
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(dir, name), text);
  return dir;
}

const SECOND_FILE = 'static char team[65536];\n/* A side table under the handout\'s exempt name. */\nchar *side_table(int i) { return &team[i]; }\n';

describe('the team exemption is the handout struct, not a name', () => {
  it('the handout mm.c: its team_t team is not counted, off-heap-metadata passes', async () => {
    const loaded = await loadCSubmission(join(HANDOUT, 'mm.c'), { profile: compileProfileOf(PROFILE) });
    expect(loaded.staticData!.symbols.map((s) => s.name)).not.toContain('team');
    const r = await runTests(join(HANDOUT, 'mm.c'), { ...options, profile: PROFILE });
    expect(r.checks[0]!.status).toBe('pass');
  }, 600_000);

  it('a 64 KiB `static char team[]` in a second file counts and fails, beside the exempt handout team', async () => {
    const dir = folder({ 'side.c': SECOND_FILE });
    const loaded = await loadCSubmission(dir, { profile: compileProfileOf(PROFILE) });
    expect(loaded.staticData!.symbols).toContainEqual({ name: 'team', bytes: 65536, compound: true });
    const r = await runTests(dir, { ...options, profile: PROFILE });
    expect(r.error).toBeUndefined();
    expect(r.checks[0]!.status).toBe('fail');
    expect(r.checks[0]!.violations[0]!.message).toMatch(/team \(65536 B\)/);
  }, 600_000);
});
