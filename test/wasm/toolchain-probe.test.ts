/**
 * The system-clang probe runs its three spawns once per toolchain, not once
 * per process: the answer is kept in the compile cache, keyed by PATH and the
 * tools' identity. Real processes: fake clang and wasm-ld scripts that log
 * every run.
 */
import { chmodSync, mkdtempSync, readFileSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { probeStats, probeSystemToolchain } from '../../harness/wasm/toolchain.ts';

let saved: { PATH?: string; cache?: string };
let log: string;

function fakeTools(targets: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'hg-fake-clang-'));
  writeFileSync(
    join(dir, 'clang'),
    `#!/bin/sh\necho "clang $*" >> ${log}\nif [ "$1" = "--version" ]; then echo "fake clang version 99.1"; else echo "${targets}"; fi\n`,
  );
  writeFileSync(join(dir, 'wasm-ld'), `#!/bin/sh\necho "wasm-ld $*" >> ${log}\necho "LLD 99.1"\n`);
  chmodSync(join(dir, 'clang'), 0o755);
  chmodSync(join(dir, 'wasm-ld'), 0o755);
  return dir;
}

const runs = (): number => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').length : 0);

describe('probeSystemToolchain', () => {
  beforeEach(() => {
    saved = { PATH: process.env.PATH, cache: process.env.HEAPGRADE_CACHE_DIR };
    process.env.HEAPGRADE_CACHE_DIR = mkdtempSync(join(tmpdir(), 'hg-probe-cache-'));
    log = join(mkdtempSync(join(tmpdir(), 'hg-probe-log-')), 'runs.log');
  });
  afterEach(() => {
    process.env.PATH = saved.PATH;
    if (saved.cache === undefined) delete process.env.HEAPGRADE_CACHE_DIR;
    else process.env.HEAPGRADE_CACHE_DIR = saved.cache;
  });

  it('no clang on PATH: no toolchain, and nothing spawned', async () => {
    const before = probeStats.spawns;
    process.env.PATH = `${mkdtempSync(join(tmpdir(), 'hg-empty-'))}:/bin`;
    expect(await probeSystemToolchain()).toBeNull();
    expect(probeStats.spawns).toBe(before);
  });

  it('probes a clang once, answers from the cache after, and probes again when the tool changes', async () => {
    const dir = fakeTools('  wasm32     - WebAssembly 32-bit');
    process.env.PATH = `${dir}:/usr/bin:/bin`;
    expect(await probeSystemToolchain()).toEqual({ version: 'fake clang version 99.1' });
    expect(runs()).toBe(3);
    expect(await probeSystemToolchain()).toEqual({ version: 'fake clang version 99.1' });
    expect(runs()).toBe(3); // the cached answer: no spawn
    utimesSync(join(dir, 'clang'), new Date(), new Date(Date.now() + 5000)); // "upgraded"
    expect(await probeSystemToolchain()).toEqual({ version: 'fake clang version 99.1' });
    expect(runs()).toBe(6);
  });

  it('a clang without the wasm32 target is no toolchain, and that answer is cached too', async () => {
    process.env.PATH = `${fakeTools('  x86-64     - 64-bit X86')}:/usr/bin:/bin`;
    expect(await probeSystemToolchain()).toBeNull();
    expect(await probeSystemToolchain()).toBeNull();
    expect(runs()).toBe(3);
  });
});

describe('--compiler system without a usable clang', () => {
  it("is the user's error (exit 2 through the CLI), saying what to install or use instead", async () => {
    const { execa } = await import('execa');
    // Only node on PATH: no clang, no wasm-ld.
    const bin = mkdtempSync(join(tmpdir(), 'hg-no-clang-'));
    const { symlinkSync } = await import('node:fs');
    symlinkSync(process.execPath, join(bin, 'node'));
    const cli = new URL('../../scripts/heapgrade.mjs', import.meta.url).pathname;
    const mm = new URL('../fixtures/c/libc-alloc.c', import.meta.url).pathname;
    const r = await execa(join(bin, 'node'), [cli, 'test', mm, '--compiler', 'system', '--check', 'alignment'], {
      env: { PATH: bin, HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1' },
      extendEnv: false,
      reject: false,
    });
    expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(2);
    expect(`${r.stdout}\n${r.stderr}`).toMatch(/install clang and lld, or use `--compiler yowasp`/);
    expect(`${r.stdout}\n${r.stderr}`).not.toMatch(/a bug in heapgrade/);
  }, 120_000);
});
