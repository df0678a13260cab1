/**
 * The bundler reads only the submission's own files, in every mode: a folder
 * submission that imports a neighbour's allocator (`../victim/allocator.ts`)
 * does not load, whether confined, unconfined, or graded with `--sandbox
 * off` (no OS sandbox to stop the read); the neighbour's code appears
 * nowhere. The control imports a helper file of its own and loads.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { gradeIsolated } from '../../harness/isolation/run-isolated.ts';
import { loadSubmission } from '../../harness/loader/load.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MARKER = 'VICTIM-SECRET-7f3a';
const ALLOC = (from: string) => `import reference from '${ROOT}reference/reference.ts';
import * as v from '${from}';
export const seen = JSON.stringify(v);
export default reference;
`;
let subs: string;

beforeAll(() => {
  subs = mkdtempSync(join(tmpdir(), 'heapgrade-own-files-'));
  for (const d of ['attacker', 'victim', 'honest']) mkdirSync(join(subs, d));
  writeFileSync(join(subs, 'victim', 'allocator.ts'), `export const secret = '${MARKER}';\nexport default () => { throw new Error('${MARKER}'); };\n`);
  writeFileSync(join(subs, 'attacker', 'allocator.ts'), ALLOC('../victim/allocator.ts'));
  writeFileSync(join(subs, 'honest', 'lib.ts'), "export const secret = 'mine';\n");
  writeFileSync(join(subs, 'honest', 'allocator.ts'), ALLOC('./lib.ts'));
});

describe("the bundler reads only the submission's own folder", () => {
  it.each([true, false])('refuses a neighbour import (confine %s); its own helper file loads', async (confine) => {
    await expect(loadSubmission(join(subs, 'attacker'), { confine })).rejects.toThrow(/victim\/allocator\.ts is outside the submission's folder/);
    const honest = await loadSubmission(join(subs, 'honest'), { confine });
    expect(typeof honest.instantiate).toBe('function');
  });

  it('with --sandbox off: a load failure, and the neighbour\'s code is nowhere in the result', async () => {
    const r = await gradeIsolated(join(subs, 'attacker'), { mode: 'test', sandbox: 'off', timeoutMs: 120_000, memoryMb: 384, gradeOptions: { checks: ['alignment'] } });
    expect(r.outcome).toBe('load-failed');
    expect(r.status).toBe('fail');
    expect(JSON.stringify(r)).not.toContain(MARKER);
    expect(r.detail).toMatch(/outside the submission's folder/);
  }, 180_000);
});
