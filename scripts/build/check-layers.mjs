#!/usr/bin/env node
// The import-direction check: parses the imports of every source file under
// harness/, scripts/, suites/ and reference/ (TypeScript's own pre-parser:
// static, type-only, re-exports and dynamic import() alike) and checks them
// against layers.json. Run by .ci/run as a house step; test/house/layers.test.ts
// runs it on the real tree and on a copy with an upward import planted.
//
// Usage: node scripts/build/check-layers.mjs [root]   (exit 1 and one line per problem)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SOURCE_ROOTS = ['harness', 'scripts', 'suites', 'reference'];
const SOURCE = /\.(ts|mts|mjs|js)$/;

/** @param {string} root @returns {string[]} paths relative to root, with forward slashes */
function sourceFiles(root) {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      if (name === 'node_modules' || name === 'fixtures') continue;
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (SOURCE.test(name) && !name.endsWith('.d.ts')) out.push(relative(root, p).split(sep).join('/'));
    }
  };
  for (const r of SOURCE_ROOTS) walk(join(root, r));
  return out;
}

/**
 * Every import of the kit's own sources, file to file.
 * @param {string} root
 * @returns {{ from: string, to: string }[]}
 */
export function importGraph(root) {
  const ts = createRequire(import.meta.url)('typescript');
  const edges = [];
  for (const file of sourceFiles(root)) {
    const info = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
    for (const { fileName } of info.importedFiles) {
      if (!fileName.startsWith('.')) continue; // a package or node: builtin
      edges.push({ from: file, to: normalize(join(dirname(file), fileName)).split(sep).join('/') });
    }
  }
  return edges;
}

/**
 * @param {string} root
 * @returns {{ problems: string[], ranks: Map<string, number> }}
 */
export function checkLayers(root) {
  const spec = JSON.parse(readFileSync(join(root, 'layers.json'), 'utf8'));
  const ranks = new Map();
  const sideOf = new Map();
  for (const layer of spec.layers) {
    for (const folder of layer.folders) {
      ranks.set(folder, ranks.size);
      sideOf.set(folder, layer.side);
    }
  }
  const byLength = [...ranks.keys()].sort((a, b) => b.length - a.length);
  const folderOf = (file) => byLength.find((f) => file === f || file.startsWith(`${f}/`));
  const problems = [];
  const known = new Set(spec.knownUpward.map((k) => `${k.from} -> ${k.to}`));
  const seen = new Set();
  const unplaced = new Set();
  for (const { from, to } of importGraph(root)) {
    const a = folderOf(from);
    const b = folderOf(to);
    if (a === undefined) unplaced.add(from.split('/').slice(0, 2).join('/'));
    if (b === undefined) unplaced.add(to.split('/').slice(0, 2).join('/'));
    if (a === undefined || b === undefined || ranks.get(b) <= ranks.get(a)) continue;
    const key = `${from} -> ${to}`;
    if (known.has(key)) {
      seen.add(key);
      continue;
    }
    problems.push(
      `${from} imports ${to}: ${b} (${sideOf.get(b)}) is above ${a} (${sideOf.get(a)}) in layers.json; ` +
        `move what it needs down into ${a} or a folder below it, or invert the dependency`,
    );
  }
  for (const u of unplaced) problems.push(`${u} is in no layer: place it in layers.json`);
  for (const k of known) if (!seen.has(k)) problems.push(`layers.json knownUpward lists "${k}", which no longer exists: remove it`);
  return { problems, ranks };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = process.argv[2] ?? fileURLToPath(new URL('../..', import.meta.url));
  const { problems } = checkLayers(root);
  for (const p of problems) console.error(`layers: ${p}`);
  if (problems.length > 0) process.exitCode = 1;
  else console.log('layers: every import goes down or sideways (layers.json)');
}
