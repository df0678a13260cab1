/**
 * A garbage collection on demand, so that timed samples start with a clean
 * young generation. Node only exposes gc() with --expose-gc; setting the
 * flag at run time and fetching gc from a fresh context works without it.
 * Falls back to doing nothing if the runtime refuses.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

let gc: ((options?: { type?: 'minor' | 'major' }) => void) | null | undefined;

export function collectGarbage(type: 'minor' | 'major' = 'minor'): void {
  if (gc === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      gc = vm.runInNewContext('gc') as typeof gc;
    } catch {
      gc = null;
    }
  }
  gc?.({ type });
}
