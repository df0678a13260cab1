/**
 * Where a profile meets the rest of the kit: the compile settings it gives a
 * C file, and the test options it sets (alignment, heap limit, static-data
 * limit, the checks beyond the handout, the size_t width), below anything
 * the configuration file or the command line sets explicitly.
 */
import type { CompileProfile } from '../wasm/compile.ts';
import type { TestOptions } from '../runner/run-tests.ts';
import { resolveProfile } from './resolve.ts';
import type { Profile } from './types.ts';

/** The compile side of a profile setting (a name, or an absolute profile file path: resolved where it was given). */
export function compileProfileOf(setting: string | undefined): CompileProfile | undefined {
  if (setting === undefined) return undefined;
  const p = resolveProfile(setting, []).profile;
  return { name: p.name, model: p.model, defines: p.defines, staticDataExempt: p.staticDataExempt };
}

/** Keys of TestOptions a profile sets; `explicit` names the ones the configuration or a flag set, which win. */
export interface Explicit {
  alignment?: boolean;
  limit?: boolean;
  staticDataLimit?: boolean;
}

/**
 * `setting` is what the profile is called where it travels to workers and
 * child processes: a built-in name, or a course file's absolute path.
 */
export function applyProfile(options: TestOptions, profile: Profile, setting: string, explicit: Explicit = {}): TestOptions {
  return {
    ...options,
    profile: setting,
    checker: {
      ...options.checker,
      ...(explicit.alignment ? {} : { alignment: profile.alignment }),
      sizeTBits: profile.model === 'lp64' ? 64 : 32,
      freeNullOfFailed: profile.beyond['free-null'] === undefined,
    },
    limit: explicit.limit ? options.limit : profile.heapLimit,
    staticDataLimit: explicit.staticDataLimit ? options.staticDataLimit : profile.staticDataLimit,
    beyond: { ...profile.beyond, ...options.beyond },
  };
}
