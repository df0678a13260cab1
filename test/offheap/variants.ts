/** Copies of the off-heap fixtures as submissions of their own (a single-file submission imports only the kit). */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

/** `source` with its relative imports of the kit (harness/, reference/) made absolute. */
function kitImportsAbsolute(source: string): string {
  return source.replace(/'(\.\.\/)+(harness|reference)\//g, `'${ROOT}$2/`);
}

/** A fixture file copied into `dir` as `name`, its kit imports absolute. */
export function copyFixture(path: string, dir: string, name: string): string {
  const file = join(dir, name);
  writeFileSync(file, kitImportsAbsolute(readFileSync(fixture(path), 'utf8')));
  return file;
}

/** The tables fixture with its metadata kept in `where`, as `<where>.ts` in `dir`. */
export function tablesVariant(where: 'heap' | 'factory' | 'module' | 'first-call', dir = mkdtempSync(join(tmpdir(), 'heapgrade-tables-'))): string {
  const file = join(dir, `${where}.ts`);
  const source = readFileSync(fixture('offheap/tables.ts'), 'utf8').replace(/^const TABLES = 'factory'/m, `const TABLES = '${where}'`);
  writeFileSync(file, kitImportsAbsolute(source));
  return file;
}
