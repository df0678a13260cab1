/**
 * The autograder archive a TA uploads to Gradescope: at the zip root
 * `setup.sh` (installs a supported Node LTS, bubblewrap and the kit's
 * dependencies, warms the C compile cache), `run_autograder` (runs
 * `heapgrade gradescope`), the configuration with the trace files it names,
 * and the kit itself under `heapgrade/` (the same version that made the
 * archive, so grading on Gradescope matches grading here).
 *
 * Works from the git checkout and from an installed kit (node_modules/
 * heapgrade, which npm ships without package-lock.json): there the lockfile
 * is made by `npm install --package-lock-only`, because setup.sh's `npm ci`
 * needs one.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { toError, UsageError } from '../util/errors.ts';
import { KIT_ROOT } from '../util/kit-root.ts';
import { configTraces } from '../config/trace-files.ts';
import { runAutograder, setupSh, type RunSettings } from './gradescope-scripts.ts';
import type { ZipEntry } from './zip.ts';

/** Published folders the grader does not need on Gradescope. */
const NOT_PACKED = new Set(['student-template', 'deploy', 'README.md', 'CHANGELOG.md']);

function filesUnder(root: string, rel: string): string[] {
  const abs = join(root, rel);
  if (!existsSync(abs)) return [];
  if (statSync(abs).isFile()) return [rel];
  return readdirSync(abs, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.') && e.name !== 'node_modules')
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .flatMap((e) => filesUnder(root, join(rel, e.name)));
}

export interface PackOptions {
  /** The assignment configuration (JSON). Without it the kit's defaults are packed. */
  configPath?: string;
  /** The kit to pack. @default the kit this module belongs to */
  kitRoot?: string;
  /** How each submission is graded (`pack --sandbox/--timeout/--memory/--tests-only`), written into run_autograder. */
  run?: RunSettings;
}

interface KitPackage {
  bin?: string | Record<string, string>;
  files?: string[];
  scripts?: Record<string, string>;
  [key: string]: unknown;
}

export async function autograderEntries(opts: PackOptions = {}): Promise<ZipEntry[]> {
  const kitRoot = opts.kitRoot ?? KIT_ROOT;
  const pkg = JSON.parse(readFileSync(join(kitRoot, 'package.json'), 'utf8')) as KitPackage;
  // The CLI as the kit's package.json starts it (the TypeScript tree or a compiled one).
  const bin = (typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.['heapgrade']) ?? 'scripts/heapgrade.mjs';
  const entries: ZipEntry[] = [
    { name: 'setup.sh', data: Buffer.from(setupSh(bin)), mode: 0o755 },
    { name: 'run_autograder', data: Buffer.from(runAutograder(bin, opts.run)), mode: 0o755 },
    ...(await configEntries(opts.configPath)),
  ];
  // What the kit publishes (its `files`), less what only students and readers need.
  const roots = (pkg.files ?? ['harness', 'reference', 'suites', 'scripts']).map((f) => f.replace(/^\.\//, '').replace(/\/$/, '')).filter((f) => !NOT_PACKED.has(f));
  for (const rel of roots.flatMap((p) => filesUnder(kitRoot, p))) {
    const mode = statSync(join(kitRoot, rel)).mode & 0o777;
    entries.push({ name: `heapgrade/${rel.split('\\').join('/')}`, data: readFileSync(join(kitRoot, rel)), mode: mode & 0o111 ? 0o755 : 0o644 });
  }
  // The kit is installed, not developed, on Gradescope: no lifecycle scripts (a `prepare` build would need dev dependencies).
  const { scripts: _scripts, ...installed } = pkg;
  const packageJson = `${JSON.stringify(installed, null, 2)}\n`;
  entries.push({ name: 'heapgrade/package.json', data: Buffer.from(packageJson) });
  entries.push({ name: 'heapgrade/package-lock.json', data: lockfileFor(kitRoot, packageJson) });
  return entries;
}

/** The configuration and the trace files it names, at the same relative paths (hidden workloads included). */
async function configEntries(configPath: string | undefined): Promise<ZipEntry[]> {
  if (configPath === undefined) return [{ name: 'heapgrade.config.json', data: Buffer.from('{}\n') }];
  if (!configPath.endsWith('.json')) {
    throw new UsageError(`${configPath}: gradescope pack takes a JSON configuration (heapgrade.config.json); write a .ts one out as JSON first`);
  }
  if (!existsSync(configPath)) throw new UsageError(`${configPath}: configuration file not found; check the --config path`);
  const out: ZipEntry[] = [{ name: 'heapgrade.config.json', data: readFileSync(resolve(configPath)) }];
  for (const t of await configTraces(configPath)) {
    if (t.rel.startsWith('..')) throw new UsageError(`${configPath}: workloads.${t.workload}.file ${t.given} is outside the configuration's folder; move it next to the configuration to pack it`);
    out.push({ name: t.rel, data: readFileSync(t.abs) });
  }
  return out;
}

/**
 * The kit's package-lock.json: the checkout's own, or (installed kit, which
 * npm publishes without one) one resolved now by npm from the registry.
 */
function lockfileFor(kitRoot: string, packageJson: string): Buffer {
  const own = join(kitRoot, 'package-lock.json');
  if (existsSync(own)) return readFileSync(own);
  const dir = mkdtempSync(join(tmpdir(), 'heapgrade-lock-'));
  try {
    writeFileSync(join(dir, 'package.json'), packageJson);
    execFileSync('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    return readFileSync(join(dir, 'package-lock.json'));
  } catch (e) {
    const err = toError(e) as Error & { stderr?: Buffer };
    throw new UsageError(
      `could not make package-lock.json for the kit (setup.sh's npm ci needs one): npm failed: ${(err.stderr?.toString() || err.message).trim().split('\n').slice(-3).join(' ')}. ` +
        'Run gradescope pack where the npm registry is reachable, or from a checkout of the kit.',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
