/**
 * V8 optimizes hot functions on a background thread (TurboFan) and installs
 * the result whenever that thread finishes: the compiler's data then lands in
 * the worker's heap at a moment the machine's load decides, 100-300 KB at a
 * time, between two of the growth measurement's snapshots in most runs
 * (offheap/measure.ts; BENCHMARKS.md, issue 22 item 5, session 6). Compiled
 * on the worker's own thread instead, it lands at the same call every run,
 * and the measurement is exact to a few KB, idle or loaded.
 *
 * The choice is V8's, per isolate, read when the isolate starts: the flag is
 * off while a check worker starts (before `new Worker`) and on again once no
 * starting check worker needs it (its first message or its exit), so other
 * threads keep compiling in the background: `trace`'s replay worker and a
 * TypeScript grade's workload lanes. A C grade's workload lanes are the check
 * workers handed over (runner/check-lanes.ts), so they keep the check's
 * setting, which measured faster there too (BENCHMARKS.md, session 6 grade).
 */
import { setFlagsFromString } from 'node:v8';

let holds = 0;

/** Turns background optimization off for isolates started from now on; the returned function releases this hold (once). */
export function holdCompilerOnThread(): () => void {
  if (holds++ === 0) setFlagsFromString('--no-concurrent-recompilation');
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--holds === 0) setFlagsFromString('--concurrent-recompilation');
  };
}
