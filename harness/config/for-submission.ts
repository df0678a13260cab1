/**
 * The configuration a command grades one submission with, once the profile
 * is known: `--profile` wins over the file's `profile`; `auto` is decided
 * from the submission's own C sources here, and the choice and its reasons
 * are returned for the command to print.
 */
import { resolveConfig, type LoadedConfig } from './load.ts';
import type { Config } from './types.ts';
import type { ValidateContext } from './validate.ts';
import { isCSubmissionPath, readCSources } from '../wasm/sources.ts';
import { detectProfile, type Detection } from '../profiles/detect.ts';
import { stat } from 'node:fs/promises';
import { DEFAULT_PROFILE } from '../profiles/builtin.ts';

export interface ProfiledConfig {
  config: Config;
  /** Set when `auto` chose the profile. */
  detection?: Detection;
}

export async function configForSubmission(
  loaded: Pick<LoadedConfig, 'config' | 'input' | 'dir'>,
  flag: string | undefined,
  spec: string,
  known: Omit<ValidateContext, 'source' | 'dir'> = {},
): Promise<ProfiledConfig> {
  let setting = flag ?? loaded.config.profile;
  let detection: Detection | undefined;
  if (setting === 'auto') {
    detection = await detectFor(spec);
    setting = detection.profile;
  }
  // `auto` that picked the configuration's own profile still says so (and why).
  if (setting === loaded.config.profile) return detection ? { config: loaded.config, detection } : { config: loaded.config };
  // A flag's relative profile file is relative to the working directory, the file's to the file.
  const config = resolveConfig({ ...loaded.input, profile: setting }, { ...known, dir: flag !== undefined ? process.cwd() : loaded.dir }, flag !== undefined ? '--profile' : 'configuration');
  return detection ? { config, detection } : { config };
}

/** What `auto` picks for a submission path (a built-in or a TypeScript one gets `heapgrade`). */
export async function detectSubmissionProfile(spec: string): Promise<Detection> {
  return detectFor(spec);
}

async function detectFor(spec: string): Promise<Detection> {
  if (spec.startsWith('ref:')) return { profile: DEFAULT_PROFILE, reasons: ['a built-in allocator'] };
  const isDir = await stat(spec).then((s) => s.isDirectory(), () => false);
  if (!isDir && !isCSubmissionPath(spec)) return { profile: DEFAULT_PROFILE, reasons: ['not a C submission'] };
  try {
    const src = await readCSources(spec);
    const d = detectProfile([...src.units, ...src.headers].map((f) => f.text));
    const own = courseHeadersNote(src.headers.map((h) => h.name));
    return own ? { ...d, reasons: [...d.reasons, own] } : d;
  } catch {
    return { profile: DEFAULT_PROFILE, reasons: ['no C sources to read'] };
  }
}

/** Headers the kit supplies for a malloclab file; a course's own beside the file is used instead (`-I.` comes first). */
const KIT_HANDOUT_HEADERS = new Set(['mm.h', 'memlib.h', 'contracts.h']);

/** What `auto` says about the headers beside the file: a TA must know the course's own were used. */
export function courseHeadersNote(names: readonly string[]): string | undefined {
  if (names.length === 0) return undefined;
  const replacing = names.filter((n) => KIT_HANDOUT_HEADERS.has(n));
  const others = names.filter((n) => !KIT_HANDOUT_HEADERS.has(n));
  const parts = [
    ...(replacing.length ? [`the course's own ${replacing.join(', ')} beside the file, in place of the kit's`] : []),
    ...(others.length ? [`${others.join(', ')} beside the file`] : []),
  ];
  return `compiles with ${parts.join(', and ')}`;
}

/** One line for the terminal: what `auto` picked and why. */
export function detectionLine(d: Detection): string {
  return `profile: ${d.profile} (auto: ${d.reasons.join('; ')})`;
}
