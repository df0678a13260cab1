/**
 * One compile per submission whatever the number of workers: concurrent
 * loads of the same source wait for the first compile and read its result;
 * a lock left by a dead holder is taken over; a compile error is read, not
 * recompiled.
 */
import { execa } from 'execa';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir, hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileOnce, STALE_MS } from '../../harness/wasm/compile-once.ts';
import { LoadError } from '../../harness/util/errors.ts';
import { FIXTURES } from './helpers.ts';

/** A fake compile: counts its runs, takes `ms`, stores "result" (or a student error) under the key. */
function fakeCompiler(dir: string, key: string, ms: number, fail = false) {
  let makes = 0;
  const file = join(dir, `${key}.out`);
  const err = join(dir, `${key}.err`);
  return {
    get makes() {
      return makes;
    },
    options: {
      pollMs: 10,
      lookup: async () => {
        if (existsSync(err)) throw new LoadError(await readFile(err, 'utf8'));
        return existsSync(file) ? readFile(file, 'utf8') : null;
      },
      make: async () => {
        makes++;
        await new Promise((r) => setTimeout(r, ms));
        if (fail) {
          await writeFile(err, 'mm.c:3: error: expected ;');
          throw new LoadError('mm.c:3: error: expected ;');
        }
        await writeFile(file, 'result');
        return 'result';
      },
    },
  };
}

describe('compileOnce', () => {
  it('five concurrent requests for one key: one compile, five results', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hg-once-'));
    const fake = fakeCompiler(dir, 'k1', 200);
    const results = await Promise.all(Array.from({ length: 5 }, () => compileOnce(dir, 'k1', fake.options)));
    expect(results).toEqual(Array(5).fill('result'));
    expect(fake.makes).toBe(1);
    expect(existsSync(join(dir, 'k1.lock'))).toBe(false);
  });

  it("a student's compile error reaches every waiter without a second compile", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hg-once-'));
    const fake = fakeCompiler(dir, 'k2', 100, true);
    const results = await Promise.allSettled([compileOnce(dir, 'k2', fake.options), compileOnce(dir, 'k2', fake.options)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    for (const r of results) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(LoadError);
    expect(fake.makes).toBe(1);
  });

  it('takes over a lock whose holder has exited, and one whose heartbeat stopped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hg-once-'));
    const dead = spawnSync('true').pid!; // a pid that has exited
    writeFileSync(join(dir, 'k3.lock'), `${hostname()} ${dead}\n`);
    const a = fakeCompiler(dir, 'k3', 10);
    expect(await compileOnce(dir, 'k3', a.options)).toBe('result');
    expect(a.makes).toBe(1);

    writeFileSync(join(dir, 'k4.lock'), `another-host 1\n`);
    const old = new Date(Date.now() - STALE_MS - 1000);
    utimesSync(join(dir, 'k4.lock'), old, old);
    const b = fakeCompiler(dir, 'k4', 10);
    expect(await compileOnce(dir, 'k4', b.options)).toBe('result');
    expect(b.makes).toBe(1);
  });

  it('two processes loading the same C file on a cold cache: one compiles, the other reads its module', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'hg-once-cache-'));
    // A source no cache has seen: the lab fixture with a unique comment.
    const src = join(mkdtempSync(join(tmpdir(), 'hg-once-src-')), 'mm.c');
    writeFileSync(src, `/* ${process.pid} ${Date.now()} */\n${readFileSync(join(FIXTURES, 'naive-malloclab.c'), 'utf8')}`);
    const child = new URL('./compile-child.ts', import.meta.url).pathname;
    const run = () => execa('node', ['--import', 'tsx', child, src], { env: { HEAPGRADE_CACHE_DIR: cache } });
    const outs = (await Promise.all([run(), run()])).map((r) => JSON.parse(r.stdout) as { cached: string | false; runs: number; key: string });
    expect(outs[0]!.key).toBe(outs[1]!.key);
    expect(outs.map((o) => o.cached).sort()).toEqual(['disk', false]);
    // The reader ran no tool at all (not even the kit runtime's compile).
    expect(outs.find((o) => o.cached === 'disk')!.runs).toBe(0);
    expect(outs.find((o) => o.cached === false)!.runs).toBeGreaterThan(0);
  }, 240_000);
});

describe('a stored compile error', () => {
  it('names the path of the file handed in, not of the first file with the same content', async () => {
    const { compileC } = await import('../../harness/wasm/compile.ts');
    const source = `int mm_init(void) { return 0 }\n/* ${process.pid}-${Date.now()} */\n`;
    const first = mkdtempSync(join(tmpdir(), 'hg-err-a-'));
    const second = mkdtempSync(join(tmpdir(), 'hg-err-b-'));
    writeFileSync(join(first, 'mm.c'), source);
    writeFileSync(join(second, 'mm.c'), source);
    const e1 = await compileC(join(first, 'mm.c')).then(() => undefined, (e: Error) => e);
    const e2 = await compileC(join(second, 'mm.c')).then(() => undefined, (e: Error) => e);
    expect(e1).toBeInstanceOf(LoadError);
    expect(e2).toBeInstanceOf(LoadError);
    expect(e1!.message).toContain(first);
    // The second is the stored error (same content, same key), told with its own path.
    expect(e2!.message).toContain(second);
    expect(e2!.message).not.toContain(first);
  }, 180_000);
});
