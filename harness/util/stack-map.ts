/**
 * Student code runs as an esbuild bundle evaluated in a compartment, so V8
 * names its frames `heapgrade-confined:<hash>.js:LINE:COL`. This module keeps
 * each bundle's source map (trusted side, by URL) and turns such a location
 * back into the student's own `allocator.ts:LINE:COL`, for `threw` and
 * `segfault` messages.
 */
import { SourceMap, type SourceMapPayload } from 'node:module';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The URL scheme of confined bundles in stack traces. */
export const CONFINED_SCHEME = 'heapgrade-confined:';

const maps = new Map<string, { map: SourceMap; lineOffset: number }>();

/** Remembers the source map of the bundle evaluated as `url`, `lineOffset` lines below the top of what was evaluated. */
export function registerBundleMap(url: string, map: SourceMapPayload, lineOffset = 0): void {
  maps.set(url, { map: new SourceMap(map), lineOffset });
}

/**
 * Maps `heapgrade-confined:<hash>.js:LINE:COL` to `file.ts:LINE:COL` (relative
 * to the working directory), or undefined when `location` is not in a
 * confined bundle or the map does not cover it.
 */
export function mapConfinedLocation(location: string): string | undefined {
  const m = /^(heapgrade-confined:[^:]+):(\d+):(\d+)$/.exec(location);
  if (!m) return undefined;
  const known = maps.get(m[1]!);
  if (!known) return undefined;
  const entry = known.map.findEntry(Number(m[2]) - 1 - known.lineOffset, Number(m[3]) - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
  if (entry.originalSource === undefined || entry.originalLine === undefined) return undefined;
  let file = entry.originalSource;
  try {
    if (file.startsWith('file:')) file = fileURLToPath(file);
  } catch {
    // A source that is not a file URL: keep it as esbuild wrote it.
  }
  const rel = file.startsWith('/') ? relative(process.cwd(), file) || file : file;
  return `${rel}:${entry.originalLine + 1}:${(entry.originalColumn ?? 0) + 1}`;
}

/** Rewrites every confined location in a stack trace to the student's file:line:col. */
export function mapConfinedStack(stack: string): string {
  return stack.replace(/heapgrade-confined:[^:\s()]+:\d+:\d+/g, (loc) => mapConfinedLocation(loc) ?? loc);
}

/** Where in the student's code something happened: the innermost place, and the callers under it. */
export interface StudentPlace {
  /** `put (allocator.ts:12:5)`: the innermost frame of the student's code. */
  where?: string;
  /** The frames that called it, innermost first, one a line (`called from free (allocator.ts:40:3)`), up to the allocator's entry point. */
  source?: string;
}

/**
 * The student's frames on `stack`, innermost first, each mapped to
 * file:line:col: the helper where it happened and the chain of the
 * allocator's own functions that called it (every confined frame is the
 * student's; the kit's frames around them are left out).
 */
export function confinedTrail(stack: string | undefined = captureStack()): StudentPlace {
  if (maps.size === 0 || !stack) return {};
  const frames: string[] = [];
  for (const m of stack.matchAll(/^[ \t]*at (?:([^\s(][^(\n]*?) \()?(heapgrade-confined:[^:\s()]+:\d+:\d+)\)?$/gm)) {
    const loc = mapConfinedLocation(m[2]!);
    if (!loc) continue;
    const fn = m[1]?.replace(/^(?:Object|Proxy)\./, '');
    frames.push(fn && fn !== '<anonymous>' ? `${fn} (${loc})` : loc);
  }
  const [first, ...callers] = frames;
  if (first === undefined) return {};
  return { where: first, ...(callers.length > 0 ? { source: callers.map((f) => `  called from ${f}`).join('\n') } : {}) };
}

/** A stack deep enough for a helper's callers (the default 10 frames are mostly the kit's). */
function captureStack(): string | undefined {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 40;
  try {
    return new Error().stack;
  } finally {
    Error.stackTraceLimit = limit;
  }
}
