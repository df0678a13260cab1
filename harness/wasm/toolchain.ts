/**
 * The C toolchain: clang, wasm-ld and llvm-objdump, either @yowasp/clang
 * (LLVM built as WebAssembly: nothing to install beyond `npm ci`, runs on an
 * in-memory filesystem) or a system clang with the wasm32 target and wasm-ld.
 * Start-up is paid once per process, on the first tool run (not by
 * getToolchain): the yowasp resources are fetched (from node_modules) then and kept.
 */
import { realpathSync, statSync } from 'node:fs';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compilerCommand } from '../bwrap/compiler.ts';
import { UsageError } from '../util/errors.ts';
import { withBaselineWasm } from './baseline-wasm.ts';
import { hashKey, readCache, writeCache } from './cache.ts';

export type CompilerChoice = 'auto' | 'yowasp' | 'system';
export type Tool = 'clang' | 'wasm-ld' | 'llvm-objdump' | 'llvm-ar' | 'llvm-objcopy';

/** Input files by relative path (forward slashes). */
export type FileMap = Record<string, string | Uint8Array>;

export interface ToolResult {
  ok: boolean;
  /** stdout and stderr, interleaved as the tool wrote them. */
  output: string;
  /** The requested output files that exist after the run. */
  files: Record<string, Uint8Array>;
}

export interface Toolchain {
  /** Names the compiler and its version: part of every cache key. */
  readonly id: string;
  run(tool: Tool, args: string[], inputs: FileMap, outputs: string[]): Promise<ToolResult>;
}

/** Counts real tool runs, so tests can assert that a cached compile ran nothing. */
export const toolchainStats = { runs: 0 };

const chains = new Map<CompilerChoice, Promise<Toolchain>>();

export function getToolchain(choice: CompilerChoice = 'auto'): Promise<Toolchain> {
  let t = chains.get(choice);
  if (!t) {
    t = choice === 'yowasp' ? yowasp() : choice === 'system' ? (system(true) as Promise<Toolchain>) : system(false).then((s) => s ?? yowasp());
    chains.set(choice, t);
  }
  return t;
}

interface YowaspModule {
  runLLVM(args: string[] | null, files?: object, options?: object): Promise<Record<string, unknown>>;
  runClang(args: string[], files?: object, options?: object): Promise<Record<string, unknown>>;
}

async function yowasp(): Promise<Toolchain> {
  const pkg = JSON.parse(await readFile(path.join(yowaspDir(), 'package.json'), 'utf8')) as { version: string };
  // Started on the first run, not here: the id (for cache keys) needs only the version, and a
  // process that finds its module in the compile cache (an isolated grading child, a check
  // worker) must not pay clang's start-up, nor its ~500 MB of memory.
  let started: Promise<YowaspModule> | undefined;
  const start = (): Promise<YowaspModule> =>
    (started ??= withBaselineWasm(async () => {
      const y = (await import('@yowasp/clang')) as unknown as YowaspModule;
      // Fetch (read) the 100 MB of resources now, quietly: the default prints progress.
      await y.runLLVM(null, {}, { fetchProgress: () => {} });
      return y;
    }));
  return {
    id: `yowasp-clang ${pkg.version}`,
    async run(tool, args, inputs, outputs) {
      const y = await start();
      toolchainStats.runs++;
      const chunks: Buffer[] = [];
      const capture = (b: Uint8Array | null): void => {
        if (b) chunks.push(Buffer.from(b));
      };
      const options = { stdout: capture, stderr: capture, decodeASCII: false };
      let tree: Record<string, unknown>;
      let ok = true;
      try {
        // Liftoff alone (baseline-wasm.ts): V8 optimizing clang's hot functions again costs more than running them.
        tree = await withBaselineWasm(() => (tool === 'clang' ? y.runClang(['clang', ...args], toTree(inputs), options) : y.runLLVM([tool, ...args], toTree(inputs), options)));
      } catch (e) {
        // A trap inside clang on this input (its 4 GiB memory exhausted, say) is decided by the input:
        // the tool failed on the student's file, said as such, never a crash of the kit.
        if (e instanceof WebAssembly.RuntimeError) {
          const said = Buffer.concat(chunks).toString('utf8');
          return { ok: false, output: `${said}${said && !said.endsWith('\n') ? '\n' : ''}${tool} (the bundled compiler, running as WebAssembly) stopped on this input: ${e.message}. It has 4 GiB of memory: a very large array or initializer is the usual cause.`, files: {} };
        }
        // yowasp's Exit carries the files as they were when the tool exited non-zero.
        const files = (e as { files?: Record<string, unknown> }).files;
        if (!files || typeof (e as { code?: unknown }).code !== 'number') throw e;
        tree = files;
        ok = false;
      }
      return { ok, output: Buffer.concat(chunks).toString('utf8'), files: pick(tree, outputs) };
    },
  };
}

/** A system clang that can target wasm32, with wasm-ld; null (auto) when absent. */
async function system(required: boolean): Promise<Toolchain | null> {
  const found = await probeSystemToolchain();
  if (!found) {
    if (!required) return null;
    throw new UsageError('A system clang with the wasm32 target and wasm-ld is required by `--compiler system`; install clang and lld, or use `--compiler yowasp`');
  }
  const { version } = found;
  return {
    id: `system ${version}`,
    async run(tool, args, inputs, outputs) {
      toolchainStats.runs++;
      const dir = await mkdtemp(path.join(os.tmpdir(), 'heapgrade-cc-'));
      try {
        for (const [name, data] of Object.entries(inputs)) {
          await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
          await writeFile(path.join(dir, name), data);
        }
        const { execa } = await import('execa');
        // In the OS sandbox where there is one (harness/bwrap/compiler.ts): the source is the student's.
        const c = compilerCommand(tool, args, dir, Object.keys(inputs));
        const r = await execa(c.file, c.args, { cwd: dir, reject: false, all: true });
        const files: Record<string, Uint8Array> = {};
        for (const name of outputs) {
          try {
            files[name] = new Uint8Array(await readFile(path.join(dir, name)));
          } catch {
            // not produced
          }
        }
        return { ok: r.exitCode === 0, output: String(r.all ?? ''), files };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Counts the probe's real spawns, so tests can assert that a cached probe ran nothing. */
export const probeStats = { spawns: 0 };

/**
 * Whether a system clang with the wasm32 target and wasm-ld is usable, and
 * its version line. Every process that loads a C submission asks (each check
 * worker, each batch child), and the answer costs three spawns and execa's
 * import (~300 ms), so: with no clang or wasm-ld on PATH the answer comes
 * from a few stat calls; otherwise it is computed once and kept in the
 * compile cache, keyed by PATH and the identity (path, size, mtime) of both
 * tools, so installing or upgrading either asks again.
 */
export async function probeSystemToolchain(): Promise<{ version: string } | null> {
  const clang = onPath('clang');
  const ld = onPath('wasm-ld');
  if (!clang || !ld) return null;
  const key = hashKey(['toolchain-probe-1', process.env.PATH ?? '', clang, ld]);
  const cached = await readCache(key, ['probe']);
  if (cached) {
    try {
      return JSON.parse(Buffer.from(cached['probe']!).toString('utf8')) as { version: string } | null;
    } catch {
      // a damaged entry: probe again
    }
  }
  const { execa } = await import('execa');
  const run = (tool: string, args: string[]) => {
    probeStats.spawns++;
    return execa(tool, args, { reject: false });
  };
  const [probe, link, targets] = await Promise.all([run('clang', ['--version']), run('wasm-ld', ['--version']), run('clang', ['-print-targets'])]);
  const usable = probe.exitCode === 0 && link.exitCode === 0 && /wasm32/.test(String(targets.stdout));
  const answer = usable ? { version: String(probe.stdout).split('\n')[0] || 'clang' } : null;
  await writeCache(key, { probe: Buffer.from(JSON.stringify(answer)) });
  return answer;
}

/** The executable `name` on PATH as "realpath size mtime", or undefined. */
function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    try {
      const file = path.join(dir, name);
      const st = statSync(file);
      if (st.isFile() && (st.mode & 0o111) !== 0) return `${realpathSync(file)} ${st.size} ${st.mtimeMs}`;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/** The installed @yowasp/clang package folder (its exports map hides package.json). */
export function yowaspDir(): string {
  return path.dirname(path.dirname(fileURLToPath(import.meta.resolve('@yowasp/clang'))));
}

function toTree(files: FileMap): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [name, data] of Object.entries(files)) {
    const parts = name.split('/');
    let dir = root;
    for (const p of parts.slice(0, -1)) dir = (dir[p] ??= {}) as Record<string, unknown>;
    dir[parts[parts.length - 1]!] = data;
  }
  return root;
}

function pick(tree: Record<string, unknown>, names: string[]): Record<string, Uint8Array> {
  const out: Record<string, Uint8Array> = {};
  for (const name of names) {
    let node: unknown = tree;
    for (const p of name.split('/')) node = (node as Record<string, unknown> | undefined)?.[p];
    if (node instanceof Uint8Array) out[name] = node;
    else if (typeof node === 'string') out[name] = new TextEncoder().encode(node);
  }
  return out;
}
