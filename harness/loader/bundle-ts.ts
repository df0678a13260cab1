/**
 * TypeScript submissions are bundled with esbuild (relative imports work,
 * no type checking, no global loader hooks). Syntax errors become a
 * LoadError that names file:line:column, as a compiler would.
 *
 * Two outputs:
 * - `bundleTsConfined`: CommonJS source and its source map, for the
 *   compartment (harness/confine/compartment.ts). Every import that is not a
 *   relative path to a .ts/.js file (a `node:` module, a package) fails to
 *   load here, naming the import: allocators get only the heap.
 * - `bundleTs`: an ES module file in a cache folder, imported unconfined.
 *   Only for trusted callers that pass `confine: false` (tests of the OS
 *   sandbox attack it with unconfined code).
 */
import { createHash } from 'node:crypto';
import { access } from 'node:fs/promises';
import { writeFileAtomic } from '../util/atomic-write.ts';
import type { SourceMapPayload } from 'node:module';
import { tmpdir } from 'node:os';
import { realpathSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type BuildOptions, type Message, type Plugin } from 'esbuild';
import type { ConfinedBundle } from '../confine/compartment.ts';
import { LoadError } from '../util/errors.ts';
import { KIT_ROOT } from '../util/kit-root.ts';

export const CACHE_DIR = join(tmpdir(), 'heapgrade-cache', 'ts');

const SOURCE_EXTS = new Set(['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs']);

function formatMessage(m: Message): string {
  const loc = m.location;
  if (!loc) return `error: ${m.text}`;
  const file = relative(process.cwd(), loc.file) || loc.file;
  return `${file}:${loc.line}:${loc.column + 1}: error: ${m.text}\n    ${loc.lineText}\n    ${' '.repeat(loc.column)}^`;
}

/**
 * Allocators get only the heap: a bare or `node:` import is a load failure
 * that names the import, and a relative import may only name source code
 * (no JSON or text files pulled in at bundle time).
 */
const onlyTheHeap: Plugin = {
  name: 'heapgrade-only-the-heap',
  setup(b) {
    b.onResolve({ filter: /^[^./]|^\.[^./]|^\.\.[^/]/ }, (args) => ({
      errors: [
        {
          text:
            `"${args.path}" cannot be imported: an allocator gets only the heap it is given (no Node modules, no packages). ` +
            'Remove the import; keep your state in the heap and in module variables, and import only your own .ts files with relative paths.',
        },
      ],
    }));
    b.onLoad({ filter: /.*/ }, (args) => {
      if (SOURCE_EXTS.has(extname(args.path))) return undefined;
      return { errors: [{ text: `${relative(process.cwd(), args.path) || args.path} is not TypeScript or JavaScript source; an allocator may import only .ts and .js files` }] };
    });
  },
};

const inside = (path: string, dir: string): boolean => path === dir || path.startsWith(dir.endsWith(sep) ? dir : `${dir}${sep}`);

/**
 * A submission reads only its own files: every file the bundle pulls in must
 * be inside the submission (a folder submission's own folder; a single-file
 * submission's file alone, since a batch folder's single files sit beside
 * their classmates'), after symbolic links are resolved, or in the kit (its
 * reference allocators and types are public). So `import
 * '../victim/allocator.ts'` or, from a batch's `bob.ts`, `import './alice.ts'`
 * cannot print a classmate's code into the attacker's report, in every mode:
 * the OS sandbox, when there is one, is a second wall, not the only one.
 */
function onlyItsOwnFiles(spec: string, entry: string): Plugin {
  const folder = dirname(resolve(entry));
  const single = resolve(spec) !== folder;
  const root = realpathSync(single ? resolve(entry) : folder);
  const kit = realpathSync(KIT_ROOT);
  const shown = relative(process.cwd(), root) || root;
  const where = single
    ? `outside the submission (${shown} is a single file, and reads only itself): to grade it with helper files, put them beside it in a folder of their own and name the folder`
    : `outside the submission's folder (${shown}): an allocator may import only its own files`;
  return {
    name: 'heapgrade-only-the-heap',
    setup(b) {
      b.onLoad({ filter: /.*/ }, (args) => {
        if (args.namespace !== 'file') return undefined;
        let real: string;
        try {
          real = realpathSync(args.path);
        } catch {
          return undefined; // esbuild's own "cannot read" says it
        }
        if (inside(real, root) || inside(real, kit)) return undefined;
        return { errors: [{ text: `${relative(process.cwd(), args.path) || args.path} is ${where}` }] };
      });
    },
  };
}

async function runBuild(entry: string, options: BuildOptions): Promise<{ text: string; map?: string }> {
  try {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      target: 'node20',
      write: false,
      logLevel: 'silent',
      // The map's sources are relative to the working directory: anchor them
      // so stack traces name the student's own files.
      sourceRoot: `${pathToFileURL(process.cwd()).href}/`,
      ...options,
    });
    const files = result.outputFiles ?? [];
    const code = files.find((f) => !f.path.endsWith('.map'))!;
    const map = files.find((f) => f.path.endsWith('.map'));
    return { text: code.text, map: map?.text };
  } catch (e) {
    const errors = (e as { errors?: Message[] }).errors;
    if (errors?.length) {
      const rel = relative(process.cwd(), entry) || entry;
      const what = errors.some((m) => m.pluginName === 'heapgrade-only-the-heap') ? 'does not load' : 'does not compile';
      throw new LoadError(`${rel} ${what}:\n${errors.slice(0, 5).map(formatMessage).join('\n')}`, { cause: e });
    }
    throw new LoadError(`cannot read ${entry}: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * Bundles `entry` of submission `spec` (its folder, or by default the entry
 * itself, a single file) for evaluation in a compartment: CommonJS source, its map, its hash and the
 * entry it was made from. No cache: a grade bundles once and hands the
 * bundle down (grade.ts), so an edited file is always read afresh.
 */
export async function bundleTsConfined(entry: string, spec: string = entry): Promise<ConfinedBundle> {
  const { text, map } = await runBuild(entry, {
    // CommonJS is a plain script body: a compartment's evaluate() runs it
    // inside a function that receives `module` and `exports`.
    format: 'cjs',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    sourcemap: 'external',
    outfile: 'bundle.cjs',
    plugins: [onlyItsOwnFiles(spec, entry), onlyTheHeap],
  });
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 24);
  // esbuild ends the code with a sourceMappingURL comment naming bundle.cjs.map; the map is registered by URL instead.
  const code = text.replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n');
  return { code, map: JSON.parse(map!) as SourceMapPayload, hash, entry: resolve(entry) };
}

/**
 * Bundles `entry` and returns the path of an importable .mjs file (unconfined: trusted callers only).
 * `ownFilesOf` (the submission's spec, not given for a TA's configuration) keeps it to the submission's own files, as the confined bundle.
 */
export async function bundleTs(entry: string, options: { ownFilesOf?: string } = {}): Promise<string> {
  const own = options.ownFilesOf;
  const { text: code } = await runBuild(entry, { platform: 'node', format: 'esm', sourcemap: 'inline', ...(own !== undefined ? { plugins: [onlyItsOwnFiles(own, entry)] } : {}) });
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 24);
  const out = join(CACHE_DIR, `${hash}.mjs`);
  try {
    await access(out);
    // The name is the hash of the bundle: an entry whose bytes differ was changed after it was written
    // (by anything that could write the cache): refuse it and write ours again.
    const { readFile } = await import('node:fs/promises');
    if ((await readFile(out, 'utf8')) !== code) throw new Error('changed cache entry');
  } catch {
    await writeFileAtomic(out, code);
  }
  return out;
}
