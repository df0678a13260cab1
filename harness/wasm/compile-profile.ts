/**
 * Where a profile meets the compiler: the compile settings it gives a C file.
 * Its checker settings enter elsewhere: alignment, heap limit and static-data
 * limit in config/validate.ts (below anything the configuration file or the
 * command line sets explicitly), the checks beyond the handout and the size_t
 * width in config/test-options.ts.
 */
import type { CompileProfile } from './compile.ts';
import { resolveProfile } from '../profiles/resolve.ts';

/** The compile side of a profile setting (a name, or an absolute profile file path: resolved where it was given). */
export function compileProfileOf(setting: string | undefined): CompileProfile | undefined {
  if (setting === undefined) return undefined;
  const p = resolveProfile(setting, []).profile;
  return { name: p.name, model: p.model, defines: p.defines, staticDataExempt: p.staticDataExempt, declarations: p.declarations };
}
