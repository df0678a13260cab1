/**
 * The autograder archive a TA uploads to Gradescope: at the zip root
 * `setup.sh` (installs Node 20 and the kit's dependencies), `run_autograder`
 * (runs `heapgrade gradescope`), the configuration with the trace files it
 * names, and the kit itself under `heapgrade/` (the same version that made
 * the archive, so grading on Gradescope matches grading here).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { loadConfig } from '../config/load.ts';
import { UsageError } from '../util/errors.ts';
import { KIT_ROOT } from '../util/kit-root.ts';
import type { ZipEntry } from './zip.ts';

/** What the kit needs at run time: the compiled kit (package.json is added without its build scripts). */
const KIT_PATHS = ['package-lock.json', 'dist'];

export const SETUP_SH = `#!/usr/bin/env bash
# Gradescope runs this once when the image is built (Ubuntu, as root).
set -euo pipefail
if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  apt-get update
  apt-get install -y ca-certificates curl gnupg
  curl -fsSL https://deb.nodesource.com/setup_20.x | bash -
  apt-get install -y nodejs
fi
cd /autograder/source/heapgrade
npm ci --omit=dev --no-audit --no-fund
`;

export const RUN_AUTOGRADER = `#!/usr/bin/env bash
# Gradescope runs this for every submission; it must leave /autograder/results/results.json.
cd /autograder/source/heapgrade
exec node dist/scripts/heapgrade.mjs gradescope \\
  --submission /autograder/submission \\
  --results /autograder/results/results.json \\
  --config /autograder/source/heapgrade.config.json "$@"
`;

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
}

export async function autograderEntries(opts: PackOptions = {}): Promise<ZipEntry[]> {
  const entries: ZipEntry[] = [
    { name: 'setup.sh', data: Buffer.from(SETUP_SH), mode: 0o755 },
    { name: 'run_autograder', data: Buffer.from(RUN_AUTOGRADER), mode: 0o755 },
  ];
  if (opts.configPath !== undefined) {
    if (!opts.configPath.endsWith('.json')) {
      throw new UsageError(`${opts.configPath}: gradescope pack takes a JSON configuration (heapgrade.config.json); write a .ts one out as JSON first`);
    }
    const { config, dir } = await loadConfig(opts.configPath); // validates, with the usual messages
    entries.push({ name: 'heapgrade.config.json', data: readFileSync(resolve(opts.configPath)) });
    // Trace files the configuration names, at the same relative paths (hidden workloads included).
    for (const [name, w] of Object.entries(config.workloads)) {
      if (w.file === undefined) continue;
      const abs = resolve(dir, w.file);
      const rel = relative(dir, abs);
      if (rel.startsWith('..')) throw new UsageError(`workload ${name}: ${w.file} is outside the configuration's folder; move it next to the configuration to pack it`);
      entries.push({ name: rel.split('\\').join('/'), data: readFileSync(abs) });
    }
  } else {
    entries.push({ name: 'heapgrade.config.json', data: Buffer.from('{}\n') });
  }
  // Installed, not developed, on Gradescope: no `prepare` build (it needs the dev dependencies).
  const { scripts: _scripts, ...manifest } = JSON.parse(readFileSync(join(KIT_ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  entries.push({ name: 'heapgrade/package.json', data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`) });
  for (const rel of KIT_PATHS.flatMap((p) => filesUnder(KIT_ROOT, p))) {
    const mode = statSync(join(KIT_ROOT, rel)).mode & 0o777;
    entries.push({ name: `heapgrade/${rel.split('\\').join('/')}`, data: readFileSync(join(KIT_ROOT, rel)), mode: mode & 0o111 ? 0o755 : 0o644 });
  }
  return entries;
}
