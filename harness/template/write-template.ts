/**
 * `heapgrade init`: a student's starting folder, copied from the kit's own
 * student-template/<language> (beside the sources, or beside dist/'s
 * JavaScript), with the kit dependency pinned to what a fresh folder can
 * install: the running kit's version from the registry, or a tarball the
 * course ships inside the repository (vendor/heapgrade-X.tgz).
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../util/errors.ts';
import { kitVersion } from '../util/kit-root.ts';

export const TEMPLATE_LANGUAGES = ['ts', 'c'] as const;
export type TemplateLanguage = (typeof TEMPLATE_LANGUAGES)[number];

const TEMPLATES = fileURLToPath(new URL('../../student-template/', import.meta.url));
/** npm drops files named .gitignore from a package, so the packed templates carry it under this name. */
export const PACKED_GITIGNORE = 'gitignore.template';

export interface InitOptions {
  /** A heapgrade-X.tgz to copy into DIR/vendor/ and depend on (`file:vendor/...`). Default: the registry, ^<this kit's version>. */
  tarball?: string;
}

export interface InitResult {
  dir: string;
  /** Paths written, relative to dir, sorted. */
  files: string[];
  /** The devDependency written for heapgrade. */
  dependency: string;
}

export function writeTemplate(language: TemplateLanguage, dir: string, options: InitOptions = {}): InitResult {
  const target = resolve(dir);
  if (existsSync(target) && !statSync(target).isDirectory()) {
    throw new UsageError(`${dir} is a file: heapgrade init writes a new folder. Name a new or empty folder (e.g. heapgrade init ${language} my-allocator).`);
  }
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new UsageError(`${dir} is not empty: heapgrade init writes a new folder. Name a new or empty folder (e.g. heapgrade init ${language} my-allocator).`);
  }
  const tarball = options.tarball === undefined ? undefined : resolve(options.tarball);
  if (tarball !== undefined && !existsSync(tarball)) {
    throw new UsageError(`--tarball ${options.tarball}: no such file. Make one with \`npm pack\` in the kit's folder.`);
  }
  mkdirSync(target, { recursive: true });
  cpSync(join(TEMPLATES, language), target, { recursive: true });
  if (existsSync(join(target, PACKED_GITIGNORE))) renameSync(join(target, PACKED_GITIGNORE), join(target, '.gitignore'));

  let dependency = `^${kitVersion()}`;
  if (tarball !== undefined) {
    mkdirSync(join(target, 'vendor'));
    copyFileSync(tarball, join(target, 'vendor', basename(tarball)));
    dependency = `file:vendor/${basename(tarball)}`;
  }
  const manifestPath = join(target, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { devDependencies: Record<string, string> };
  manifest.devDependencies.heapgrade = dependency;
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return { dir: target, files: listFiles(target).map((f) => relative(target, f)).sort(), dependency };
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)]));
}
