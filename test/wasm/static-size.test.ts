/**
 * Oversized static data is the student's load failure, said in seconds: a
 * 1 GiB `static` array in mm.c used to keep `heapgrade test` silent for over
 * ten minutes (the backend writes bss as real zeros), a 3.5 GiB one ended in
 * "internal error ... RuntimeError: unreachable" (exit 3, kit-error in a
 * batch). Now the front end's IR is measured before the backend runs: a load
 * failure naming the array, its size and the limit, bounded here in CPU time
 * (the compile runs in this process, the bundled clang's start-up included),
 * never in wall time. Through `heapgrade test` (exit 2, a file that does not load; not 3) and a batch
 * (the student's load-failed, the batch's exit not 3). The IR reading is
 * checked against the object's own symbol sizes on a file of many globals.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileC, profileCflags } from '../../harness/wasm/compile.ts';
import { kitFiles } from '../../harness/wasm/kit-runtime.ts';
import { irGlobalSizes, MAX_STATIC_DATA_BYTES } from '../../harness/wasm/static-size.ts';
import { getToolchain } from '../../harness/wasm/toolchain.ts';
import { LoadError } from '../../harness/util/errors.ts';
import { GRADING_SANDBOX } from '../helpers/sandbox.ts';

const BIN = fileURLToPath(new URL('../../scripts/heapgrade.mjs', import.meta.url));
/** Generous: the bundled clang's start-up (6-10 s) plus the front end; the old path took 10+ minutes for 1 GiB. */
const CPU_BOUND_MS = 60_000;

const ALLOCATOR = `
void *mm_malloc(size_t n) { n = (n + 15) & ~(size_t)15; if (used + n > POOL_BYTES) return NULL; void *p = POOL + used; used += n; return p; }
void mm_free(void *p) { (void)p; }
void *mm_realloc(void *p, size_t n) { void *q = mm_malloc(n); if (q && p) memcpy(q, p, n); return q; }
`;
const head = '#include <stddef.h>\n#include <stdint.h>\n#include <string.h>\nstatic size_t used;\n';
const CASES = {
  gib1: `${head}static char big_pool[1073741824u];\n#define POOL big_pool\n#define POOL_BYTES sizeof big_pool\nint mm_init(void) { used = 0; return 0; }${ALLOCATOR}`,
  gib35: `${head}static char big_pool[3758096384u];\n#define POOL big_pool\n#define POOL_BYTES sizeof big_pool\nint mm_init(void) { used = 0; return 0; }${ALLOCATOR}`,
  inStruct: `${head}static struct { size_t n; char arena[1u << 30]; } heap_area;\n#define POOL heap_area.arena\n#define POOL_BYTES sizeof heap_area.arena\nint mm_init(void) { used = 0; heap_area.n = 0; return 0; }${ALLOCATOR}`,
  initialized: `${head}char big[1 << 30] = {1};\n#define POOL big\n#define POOL_BYTES sizeof big\nint mm_init(void) { used = 0; return 0; }${ALLOCATOR}`,
};
const NAMED: Record<keyof typeof CASES, [string, number]> = {
  gib1: ['big_pool', 2 ** 30],
  gib35: ['big_pool', 3758096384],
  inStruct: ['heap_area', 2 ** 30 + 4],
  initialized: ['big', 2 ** 30],
};

let dir: string;
const fileOf = (name: string): string => join(dir, name, 'mm.c');
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'heapgrade-static-size-'));
  for (const [name, text] of Object.entries(CASES)) {
    mkdirSync(join(dir, name));
    writeFileSync(fileOf(name), text);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('reading global sizes from IR', () => {
  it('lays out arrays, structs (padded, packed, named, nested), pointers and a function\'s static; declarations are not counted', () => {
    const ir = [
      '%struct.anon = type { i8, [3 x i32], i64 }',
      '%struct.node = type { ptr, %struct.anon }',
      '@big = hidden global <{ i8, [1073741823 x i8] }> <{ i8 1, [1073741823 x i8] zeroinitializer }>, align 16',
      '@a = internal global %struct.anon zeroinitializer, align 8',
      '@list = hidden global [10 x %struct.node] zeroinitializer, align 16',
      '@mm_malloc.pool = internal global [100 x double] zeroinitializer, align 16',
      '@.str = private unnamed_addr constant [6 x i8] c"hello\\00", align 1',
      '@elsewhere = external global [1000000 x i8], align 1',
      '@weak_one = extern_weak global i32',
    ].join('\n');
    expect(irGlobalSizes(ir)).toStrictEqual([
      { name: 'big', bytes: 2 ** 30 },
      { name: 'a', bytes: 24 },
      { name: 'list', bytes: 10 * 32 },
      { name: 'pool (a static in mm_malloc)', bytes: 800 },
      { name: '.str', bytes: 6 },
    ]);
    // memory64: pointers are 8 bytes
    expect(irGlobalSizes('%struct.node = type { ptr, i32 }\n@n = global %struct.node zeroinitializer', 8)).toStrictEqual([{ name: 'n', bytes: 16 }]);
  });

  it('agrees with the object file\'s own symbol sizes on a file of many globals', async () => {
    const fixture = fileURLToPath(new URL('../fixtures/c/big-globals.c', import.meta.url));
    const tc = await getToolchain();
    const inputs = { ...(await kitFiles()).files, 'mm.c': readFileSync(fixture, 'utf8') };
    const ir = await tc.run('clang', [...profileCflags({ name: 'heapgrade', model: 'ilp32', defines: [], staticDataExempt: [] }), '-g0', '-S', '-emit-llvm', '-Xclang', '-disable-llvm-passes', '-o', '-', 'mm.c'], inputs, []);
    expect(ir.ok, ir.output).toBe(true);
    const fromIr = new Map(irGlobalSizes(ir.output).map((g) => [g.name, g.bytes]));
    const compiled = await compileC(fixture);
    expect(compiled.staticData.symbols.length).toBeGreaterThan(1);
    for (const s of compiled.staticData.symbols.filter((x) => !x.name.startsWith('string literals'))) expect([s.name, fromIr.get(s.name)]).toStrictEqual([s.name, s.bytes]);
  }, 120_000);
});

describe('oversized static data', () => {
  it.each(Object.keys(CASES) as (keyof typeof CASES)[])('%s: a load failure naming the array, its size and the limit, within a CPU bound', async (name) => {
    const before = cpuMs();
    const err = await compileC(fileOf(name)).then(
      () => undefined,
      (e: unknown) => e,
    );
    const used = cpuMs() - before;
    expect(err).toBeInstanceOf(LoadError);
    const [array, bytes] = NAMED[name];
    expect((err as Error).message).toContain(`The largest is \`${array}\`, ${bytes} bytes`);
    expect((err as Error).message).toContain(`over the limit of ${MAX_STATIC_DATA_BYTES} bytes (16.0 MiB)`);
    expect((err as Error).message).toContain(fileOf(name).replace(/\/mm\.c$/, ''));
    expect(used).toBeLessThan(CPU_BOUND_MS);
  }, 300_000);

  it('control: the same allocator with a 64 KiB pool compiles', async () => {
    mkdirSync(join(dir, 'small'));
    writeFileSync(fileOf('small'), CASES.gib1.replace('1073741824u', '65536u'));
    const c = await compileC(fileOf('small'));
    expect(c.staticData.symbols.find((s) => s.name === 'big_pool')).toMatchObject({ bytes: 65536 });
  }, 120_000);

  it('heapgrade test: the student\'s load failure (exit 2, as any file that does not load; not 3), naming the array', async () => {
    const r = await execa('node', [BIN, 'test', fileOf('gib1'), '--check', 'alignment'], { reject: false, env: { NO_COLOR: '1' } });
    expect(r.exitCode, r.stdout + r.stderr).toBe(2);
    expect(r.stdout + r.stderr).toContain('`big_pool`, 1073741824 bytes (1.0 GiB)');
    expect(r.stdout + r.stderr).not.toMatch(/internal error/);
  }, 300_000);

  it('heapgrade batch: load-failed for the student, the batch does not exit 3', async () => {
    const subs = join(dir, 'subs');
    for (const id of ['gib35', 'initialized']) {
      mkdirSync(join(subs, id), { recursive: true });
      writeFileSync(join(subs, id, 'mm.c'), CASES[id as keyof typeof CASES]);
    }
    const out = join(dir, 'batch-out');
    const r = await execa('node', [BIN, 'batch', subs, '--out', out, '--tests-only', '--check', 'alignment', '--sandbox', GRADING_SANDBOX], { reject: false, env: { NO_COLOR: '1' } });
    expect(r.exitCode, r.stdout + r.stderr).not.toBe(3);
    for (const [id, array] of [['gib35', 'big_pool'], ['initialized', 'big']]) {
      const s = JSON.parse(readFileSync(join(out, 'students', `${id}.json`), 'utf8')) as { outcome: string; status: string; detail: string };
      expect([id, s.outcome, s.status]).toStrictEqual([id, 'load-failed', 'fail']);
      expect(s.detail).toContain(`\`${array}\``);
    }
  }, 300_000);
});
