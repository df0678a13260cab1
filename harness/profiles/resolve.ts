/**
 * Turns the `profile` setting (a built-in name, a course's own profile file,
 * or `auto`) into a Profile. A course's file is JSON: `{ "extends":
 * "malloclab-2010", "heapLimit": 33554432, ... }`, relative to the
 * configuration file.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError, toError } from '../util/errors.ts';
import { BUILTIN_PROFILES, DEFAULT_PROFILE } from './builtin.ts';
import { detectProfile, type Detection } from './detect.ts';
import type { Profile, ProfileFile } from './types.ts';

export const PROFILE_NAMES = BUILTIN_PROFILES.map((p) => p.name);

export function builtinProfile(name: string): Profile | undefined {
  return BUILTIN_PROFILES.find((p) => p.name === name);
}

/** A profile setting is a built-in name, `auto`, or a path ending in .json. */
export function profileSettingProblem(v: unknown): string | null {
  if (typeof v !== 'string' || v === '') return `must be a profile name (${[...PROFILE_NAMES, 'auto'].join(', ')}) or a course profile file (.json)`;
  if (v === 'auto' || builtinProfile(v) || v.endsWith('.json')) return null;
  return `names no profile; use one of ${[...PROFILE_NAMES, 'auto'].join(', ')}, or the path of a course profile file (.json)`;
}

export interface ResolvedProfile {
  profile: Profile;
  /** Set when `auto` chose it. */
  detection?: Detection;
}

/**
 * Resolves `setting` for the submission whose C sources are `texts` (empty for
 * TypeScript: those always get `heapgrade`'s data model, the simulated heap's).
 */
export function resolveProfile(setting: string | undefined, texts: readonly string[], baseDir = process.cwd()): ResolvedProfile {
  const s = setting ?? DEFAULT_PROFILE;
  if (s === 'auto') {
    const detection = texts.length ? detectProfile(texts) : { profile: DEFAULT_PROFILE, reasons: ['not a C submission'] };
    return { profile: builtinProfile(detection.profile)!, detection };
  }
  const builtin = builtinProfile(s);
  if (builtin) return { profile: builtin };
  if (s.endsWith('.json')) return { profile: readProfileFile(path.resolve(baseDir, s), s) };
  throw new UsageError(`--profile ${s}: ${profileSettingProblem(s)}`);
}

function readProfileFile(abs: string, shown: string): Profile {
  if (!existsSync(abs)) throw new UsageError(`${shown}: profile file not found; check the \`profile\` path (relative to the configuration file)`);
  let raw: ProfileFile;
  try {
    raw = JSON.parse(readFileSync(abs, 'utf8')) as ProfileFile;
  } catch (e) {
    throw new UsageError(`${shown}: not valid JSON (${toError(e).message}); fix the syntax`, { cause: e });
  }
  const base = builtinProfile(raw.extends ?? DEFAULT_PROFILE);
  if (!base) throw new UsageError(`${shown}: \`extends\` names no built-in profile; use one of ${PROFILE_NAMES.join(', ')}`);
  const problems: string[] = [];
  if (raw.model !== undefined && raw.model !== 'ilp32' && raw.model !== 'lp64') problems.push('`model` must be "ilp32" or "lp64"');
  if (raw.alignment !== undefined && raw.alignment !== 8 && raw.alignment !== 16) problems.push('`alignment` must be 8 or 16');
  if (raw.traceReading !== undefined && !['strict', 'mdriver', 'mdriver-2002'].includes(raw.traceReading)) problems.push('`traceReading` must be "strict", "mdriver" or "mdriver-2002"');
  for (const k of ['heapLimit', 'staticDataLimit'] as const) {
    const v = raw[k];
    if (v !== undefined && !(Number.isInteger(v) && v >= 0 && v <= 2 ** 31)) problems.push(`\`${k}\` must be an integer from 0 to 2147483648 (bytes)`);
  }
  if (problems.length) throw new UsageError(`${shown}: ${problems.join('; ')}`);
  const { extends: _e, ...own } = raw;
  return { ...base, ...own, name: raw.name ?? path.basename(abs, '.json'), rules: [...base.rules, ...(own.rules ?? [])] };
}
