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

/**
 * Where in the student's code the current call came from: the innermost
 * frame of a confined bundle on the stack, mapped to file:line:col. Costs a
 * stack capture: call it only on a fault.
 */
export function confinedCaller(): string | undefined {
  if (maps.size === 0) return undefined;
  const m = /heapgrade-confined:[^:\s()]+:\d+:\d+/.exec(new Error().stack ?? '');
  return m ? mapConfinedLocation(m[0]) : undefined;
}
