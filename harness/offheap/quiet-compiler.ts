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
import { getEnvironmentData, setEnvironmentData } from 'node:worker_threads';

/** Turns background optimization off for isolates started from now on; the returned function releases this hold (once). */
export function holdCompilerOnThread(): () => void {
  return holdFlag(COMPILER_HOLDS, '--no-concurrent-recompilation', '--concurrent-recompilation');
}

/**
 * V8 also optimizes a loop that runs long in the middle of its run
 * (on-stack replacement), whenever its budget runs out. The growth
 * measurement's own loops are such loops (one run of the kit's loop makes
 * 50,000 frees), and the code compiled for them, with the allocator's calls
 * inlined, landed 100-265 KB that getHeapCodeStatistics does not report as
 * the compiler's between two snapshots: in a loaded run of the off-heap
 * attack tests, 28 of 65 measurements were over the noise floor and 6 past
 * the limit for an honest allocator (measured three times in a row, the
 * reference failed so in a full test run); with on-stack replacement off,
 * none of 59 were (BENCHMARKS.md, issue 19, session 9). A function is still
 * optimized at its next call, as usual, and its code's data is counted.
 *
 * V8's flag is per process and read at each tiering decision, so it is held
 * off by a count all the process's threads share (`holdFlag`): a
 * measurement in one check worker must not turn it on again while another
 * one still measures.
 * Other threads lose on-stack replacement meanwhile, which costs them time,
 * never steps. A worker stopped in the middle of a measurement (the
 * wall-clock backstop, a crash) never releases its hold, and the process
 * runs on without on-stack replacement: `heapgrade grade ref:reference`
 * took 5.1-5.3 s of CPU so against 4.9-5.5 s with it (node --no-use-osr,
 * load average 4-5).
 */
export function holdOsrOff(): () => void {
  return holdFlag(OSR_HOLDS, '--no-use-osr', '--use-osr');
}

/**
 * Both holds are counted per process, as V8's flags are: in a
 * SharedArrayBuffer the first thread hands its workers as environment data,
 * [0] a lock, so that the flag always follows the count (a release and a
 * hold on two threads), then one count per flag.
 */
const HOLDS_KEY = 'heapgrade:compiler-holds';
const COMPILER_HOLDS = 1;
const OSR_HOLDS = 2;
const holds = (() => {
  const given = getEnvironmentData(HOLDS_KEY);
  if (given instanceof SharedArrayBuffer) return new Int32Array(given);
  const shared = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT);
  setEnvironmentData(HOLDS_KEY, shared);
  return new Int32Array(shared);
})();

function locked(fn: () => void): void {
  while (Atomics.compareExchange(holds, 0, 0, 1) !== 0) Atomics.wait(holds, 0, 1, 1);
  try {
    fn();
  } finally {
    Atomics.store(holds, 0, 0);
    Atomics.notify(holds, 0, 1);
  }
}

/** Sets `off` while any hold on `slot` is active in the process, `on` once the last is released; the returned function releases this one (once). */
function holdFlag(slot: number, off: string, on: string): () => void {
  locked(() => {
    if (holds[slot]!++ === 0) setFlagsFromString(off);
  });
  let released = false;
  return () => {
    if (released) return;
    released = true;
    locked(() => {
      if (--holds[slot]! === 0) setFlagsFromString(on);
    });
  };
}
