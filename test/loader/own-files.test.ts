/**
 * The bundler reads only the submission's own files, in every mode: a folder
 * submission that imports a neighbour's allocator (`../victim/allocator.ts`)
 * does not load, whether confined, unconfined, or graded with `--sandbox
 * off` (no OS sandbox to stop the read); the neighbour's code appears
 * nowhere. The control imports a helper file of its own and loads.
 * A single-file submission's own files are that file alone: in a batch
 * folder, `bob.ts` importing its classmate `./alice.ts` does not load; an
 * honest single file beside it (importing only the kit) loads.
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
  for (const d of ['attacker', 'victim', 'honest', 'batch']) mkdirSync(join(subs, d));
  writeFileSync(join(subs, 'victim', 'allocator.ts'), `export const secret = '${MARKER}';\nexport default () => { throw new Error('${MARKER}'); };\n`);
  writeFileSync(join(subs, 'attacker', 'allocator.ts'), ALLOC('../victim/allocator.ts'));
  writeFileSync(join(subs, 'honest', 'lib.ts'), "export const secret = 'mine';\n");
  writeFileSync(join(subs, 'honest', 'allocator.ts'), ALLOC('./lib.ts'));
  // A batch folder of single files: bob imports his classmate alice; carol imports only the kit.
  writeFileSync(join(subs, 'batch', 'alice.ts'), `export const secret = '${MARKER}';\nexport default () => { throw new Error('${MARKER}'); };\n`);
  writeFileSync(join(subs, 'batch', 'bob.ts'), ALLOC('./alice.ts'));
  writeFileSync(join(subs, 'batch', 'carol.ts'), ALLOC(`${ROOT}harness/contract/types.ts`));
});

describe("the bundler reads only the submission's own folder", () => {
  it.each([true, false])('refuses a neighbour import (confine %s); its own helper file loads', async (confine) => {
    await expect(loadSubmission(join(subs, 'attacker'), { confine })).rejects.toThrow(/victim\/allocator\.ts is outside the submission's folder/);
    const honest = await loadSubmission(join(subs, 'honest'), { confine });
    expect(typeof honest.instantiate).toBe('function');
  });

  it.each([true, false])('a single file importing a sibling does not load (confine %s); an honest single file does', async (confine) => {
    await expect(loadSubmission(join(subs, 'batch', 'bob.ts'), { confine })).rejects.toThrow(/alice\.ts is outside the submission \(.*bob\.ts is a single file, and reads only itself\)/);
    const carol = await loadSubmission(join(subs, 'batch', 'carol.ts'), { confine });
    expect(typeof carol.instantiate).toBe('function');
  });

  it('with --sandbox off: a single file importing a sibling is a load failure, and the sibling\'s code is nowhere in the result', async () => {
    const r = await gradeIsolated(join(subs, 'batch', 'bob.ts'), { mode: 'test', sandbox: 'off', timeoutMs: 120_000, memoryMb: 384, choices: { checks: ['alignment'] } });
    expect(r.outcome).toBe('load-failed');
    expect(JSON.stringify(r)).not.toContain(MARKER);
    expect(r.detail).toMatch(/reads only itself/);
  }, 180_000);

  it('with --sandbox off: a load failure, and the neighbour\'s code is nowhere in the result', async () => {
    const r = await gradeIsolated(join(subs, 'attacker'), { mode: 'test', sandbox: 'off', timeoutMs: 120_000, memoryMb: 384, choices: { checks: ['alignment'] } });
    expect(r.outcome).toBe('load-failed');
    expect(r.status).toBe('fail');
    expect(JSON.stringify(r)).not.toContain(MARKER);
    expect(r.detail).toMatch(/outside the submission's folder/);
  }, 180_000);
});
