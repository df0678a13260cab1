/**
 * [needs clang with wasm32, wasm-ld, and bubblewrap] `--compiler system`
 * runs the system clang inside the OS sandbox: a submission still compiles
 * and grades, and one that includes a file of the grading machine
 * (`#include "/etc/passwd"`) finds nothing, so the compiler's message leaks
 * nothing. Debian: apt-get install clang lld (this test also looks in
 * /usr/lib/llvm-*\/bin, where the versioned packages put them).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileC } from '../../harness/wasm/compile.ts';
import { compilerCommand } from '../../harness/bwrap/compiler.ts';
import { getToolchain } from '../../harness/wasm/toolchain.ts';
import { probeSandbox } from '../../harness/bwrap/probe.ts';

const LEAK = fileURLToPath(new URL('../fixtures/attacks-os/c/include-leak.c', import.meta.url));

// A versioned LLVM (clang-14, wasm-ld-14) has the unversioned names in its own bin folder.
const llvmBin = existsSync('/usr/lib') ? readdirSync('/usr/lib').filter((n) => /^llvm-\d+$/.test(n)).map((n) => `/usr/lib/${n}/bin`).find((d) => existsSync(`${d}/wasm-ld`)) : undefined;
const PATH = llvmBin ? `${llvmBin}:${process.env.PATH}` : process.env.PATH;
const hasClang = spawnSync('clang', ['-print-targets'], { env: { ...process.env, PATH }, encoding: 'utf8' }).stdout?.includes('wasm32') ?? false;
// clang links wasm32 with lld's wasm-ld (Debian: apt-get install lld), a package of its own.
const hasLld = (PATH ?? '').split(delimiter).some((d) => d !== '' && existsSync(join(d, 'wasm-ld')));
const sandbox = probeSandbox();
const missing = [!hasClang && 'clang with the wasm32 target', !hasLld && 'wasm-ld (lld)', !sandbox.ok && `the OS sandbox (${sandbox.why})`].filter(Boolean);
const title = '[system clang] the compiler runs in the OS sandbox';
if (missing.length) console.warn(`${title}: skipped: needs ${missing.join(', ')}`);

describe.skipIf(missing.length > 0)(missing.length ? `${title} [skipped: needs ${missing.join(', ')}]` : title, () => {
  const saved = { PATH: process.env.PATH, mode: process.env.HEAPGRADE_COMPILE_SANDBOX };
  beforeAll(() => {
    process.env.PATH = PATH;
    process.env.HEAPGRADE_COMPILE_SANDBOX = 'required';
    return () => {
      process.env.PATH = saved.PATH;
      if (saved.mode === undefined) delete process.env.HEAPGRADE_COMPILE_SANDBOX;
      else process.env.HEAPGRADE_COMPILE_SANDBOX = saved.mode;
    };
  });

  it('is confined: bubblewrap with no network, the inputs read-only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hg-cc-'));
    const c = compilerCommand('clang', ['-c', 'mm.c'], dir, ['mm.c']);
    expect(c.confined).toBe(true);
    expect(c.args).toContain('--unshare-all');
    expect(c.args.join(' ')).toContain(`--ro-bind ${dir}/mm.c ${dir}/mm.c`);
  });

  // Through the toolchain's own runner (compileC's symbol parser wants a newer llvm-objdump than Debian 12's 14).
  it('compiles with the system clang, and can write only its output', async () => {
    const tc = await getToolchain('system');
    const source = 'static char heap[1024]; static unsigned long brk;\nvoid *mm_malloc(unsigned long n) { void *p = heap + brk; brk += (n + 15) & ~15ul; return p; }\n';
    const r = await tc.run('clang', ['--target=wasm32', '-ffreestanding', '-nostdinc', '-c', 'mm.c', '-o', 'mm.o'], { 'mm.c': source }, ['mm.o']);
    expect(r.files['mm.o']?.length ?? 0, r.output).toBeGreaterThan(0);
    // Overwriting an input is refused (it is bound read-only), even though the folder is writable.
    const w = await tc.run('clang', ['--target=wasm32', '-c', '-x', 'c', 'mm.c', '-o', 'mm.c'], { 'mm.c': 'int x;\n' }, ['mm.c']);
    expect(w.ok).toBe(false);
    expect(w.output).toMatch(/mm\.c/);
  }, 120_000);

  it('a submission that includes a host file finds nothing to leak', async () => {
    const e = await compileC(LEAK, { compiler: 'system' }).then(() => undefined, (x: Error) => x);
    expect(e?.message).toMatch(/did not compile/);
    expect(e?.message).toMatch(/\/etc\/passwd/);
    expect(e?.message).not.toContain('root:x:0:0');
  }, 120_000);
});
