/** The kit's own source files under some top folders of the repository, for tests that read the code itself. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Absolute paths of the .ts/.mts/.mjs/.js files under `roots` (folders relative to the repository root, or absolute). */
export function sourceFiles(roots: readonly string[], base = REPO_ROOT): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      if (name === 'node_modules' || name === 'dist') continue;
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ts|mts|mjs|js)$/.test(name) && !name.endsWith('.d.ts')) out.push(p);
    }
  };
  for (const r of roots) walk(join(base, r));
  return out;
}
