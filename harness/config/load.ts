/**
 * Finding, reading and resolving the assignment configuration.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError, toError } from '../util/errors.ts';
import type { Config, ConfigInput } from './types.ts';
import { validateConfig, type ValidateContext } from './validate.ts';

/** Files looked for in the working directory when no path is given, in this order. */
export const CONFIG_FILES = ['heapgrade.config.json', 'heapgrade.config.ts', 'heapgrade.config.js'] as const;

export interface LoadedConfig {
  config: Config;
  /** The file it came from; undefined when the defaults were used. */
  file?: string;
  /** Where relative `workloads.*.file` paths start. */
  dir: string;
  /** What the file said (before defaults), so a command can resolve it again with another `profile`. */
  input: ConfigInput;
}

type Known = Omit<ValidateContext, 'source'>;

/** Fills defaults into a partial configuration; throws a UsageError listing every problem. */
export function resolveConfig(partial: ConfigInput = {}, known: Known = {}, source = 'configuration'): Config {
  const r = validateConfig(partial, { source, ...known });
  if (r.config === null) throw new UsageError(problemsMessage(r.errors));
  return r.config;
}

/**
 * The configuration file a run in another process must read, as an absolute
 * path: `given` (which must exist), else the first of CONFIG_FILES in the
 * working directory, else none (the defaults). An isolated child runs in
 * another folder, so it can never look for the file itself.
 */
export function configFileFor(given: string | undefined): string | undefined {
  if (given !== undefined) {
    const abs = path.resolve(given);
    if (!existsSync(abs)) throw new UsageError(`${given}: configuration file not found; check the --config path`);
    return abs;
  }
  return CONFIG_FILES.map((f) => path.resolve(f)).find((f) => existsSync(f));
}

/**
 * Reads `file` (JSON, or a .ts/.js module whose default export is the
 * configuration), or the first of CONFIG_FILES in `cwd`, or the defaults.
 */
export async function loadConfig(file?: string, known: Known = {}, cwd = process.cwd()): Promise<LoadedConfig> {
  const found = file ?? CONFIG_FILES.map((f) => path.join(cwd, f)).find((f) => existsSync(f));
  if (found === undefined) return { config: resolveConfig({}, { ...known, dir: cwd }), dir: cwd, input: {} };
  const abs = path.resolve(cwd, found);
  const rel = path.relative(cwd, abs);
  const source = rel === '' || rel.startsWith('..') ? abs : rel; // names the file as the user sees it
  if (!existsSync(abs)) {
    throw new UsageError(`${source}: configuration file not found; check the --config path`);
  }
  const raw = await readRaw(abs, source);
  const dir = path.dirname(abs);
  return { config: resolveConfig(raw as ConfigInput, { ...known, dir }, source), file: abs, dir, input: raw as ConfigInput };
}

async function readRaw(abs: string, source: string): Promise<unknown> {
  if (abs.endsWith('.json')) {
    const text = readFileSync(abs, 'utf8');
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new UsageError(`${source}: not valid JSON (${toError(e).message}); fix the syntax`, { cause: e });
    }
  }
  if (/\.(ts|js|mjs|mts)$/.test(abs)) {
    let mod: { default?: unknown };
    try {
      // A .ts configuration goes through esbuild like a submission: the installed kit runs without tsx.
      // esbuild is loaded only then: every child reads its configuration through here.
      const file = /\.m?ts$/.test(abs) ? await (await import('../loader/bundle-ts.ts')).bundleTs(abs) : abs;
      mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
    } catch (e) {
      throw new UsageError(`${source}: could not load the module (${toError(e).message})`, { cause: e });
    }
    if (mod.default === undefined) {
      throw new UsageError(`${source}: has no default export; write \`export default { ... }\``);
    }
    return mod.default;
  }
  throw new UsageError(`${source}: unknown configuration format; use a .json file or a .ts/.js module`);
}

function problemsMessage(errors: string[]): string {
  if (errors.length === 1) return errors[0]!;
  return `${errors.length} problems in the configuration:\n${errors.map((e) => `  - ${e}`).join('\n')}`;
}
