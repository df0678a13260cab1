/**
 * Whether V8 replaces a long-running loop's frame with optimized code while
 * it runs (on-stack replacement), read from V8's own optimization status of
 * the running function (natives syntax, allowed for code compiled from here on).
 */
import { setFlagsFromString } from 'node:v8';

/** V8 11's status bit: the function's topmost frame runs TurboFan code (an interpreted or baseline frame otherwise). */
const TOPMOST_FRAME_IS_TURBOFANNED = 1 << 12;

let probes = 0;

export function loopIsReplaced(iterations = 5e7): boolean {
  setFlagsFromString('--allow-natives-syntax');
  // A new source each time: the same text would be the same compiled function (V8's compilation cache), and the loop
  // code an earlier probe had replaced would be entered again, whatever the flag says now.
  const spin = new Function(
    'bit',
    `// probe ${++probes}
    return function spin(n) {
      let s = 0;
      for (let i = 0; i < n; i++) {
        s = (s + i * 7) % 1000003;
        if ((i & 0xffff) === 0 && (%GetOptimizationStatus(spin) & bit) !== 0) return true;
      }
      return s < 0;
    };`,
  )(TOPMOST_FRAME_IS_TURBOFANNED) as (n: number) => boolean;
  return spin(iterations);
}
