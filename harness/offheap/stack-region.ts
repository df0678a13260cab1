/**
 * The C shadow stack as a place to hide metadata. wasm-ld puts the stack at
 * the bottom of linear memory (--stack-first); between calls nothing of a
 * well-behaved allocator lives there: its frames are dead once it returns.
 * A side table written at a fixed address in the region (or far below a
 * local) would keep per-block bookkeeping outside the heap and outside the
 * static-data limit.
 *
 * So after every call the kit zeroes the frames the call used (from the
 * lowest stack pointer the metering pass saw, minus the red zone leaf
 * functions may use without moving the pointer, up to the top), and the
 * off-heap-metadata check scans the whole region: any non-zero byte there
 * is data the allocator kept outside the heap between calls. The same
 * verdict every run: no timing, no sampling.
 */
import type { StackLeftover } from '../contract/instance.ts';

/** Bytes below the stack pointer a leaf function may use without moving it (LLVM's wasm red zone is 128). */
const RED_ZONE = 512;

export class StackRegion {
  constructor(
    /** Lowest address checked: the NULL page below it is the heap guard's. */
    readonly bottom: number,
    /** The stack pointer's value between calls. */
    readonly top: number,
  ) {}

  /** After a call: zero the frames it used, [low - red zone, top). */
  clearFrames(memory: Uint8Array, low: number): void {
    const from = Math.max(this.bottom, Math.min(low, this.top) - RED_ZONE);
    memory.fill(0, from, this.top);
  }

  /** Non-zero bytes left in the region between calls, or null when it is clean. */
  leftover(memory: Uint8Array): StackLeftover | null {
    const region = memory.subarray(this.bottom, this.top);
    let first = -1;
    let bytes = 0;
    const words = new Uint32Array(region.buffer, region.byteOffset, region.length >>> 2);
    for (let i = 0; i < words.length; i++) {
      if (words[i] === 0) continue;
      for (let k = 0; k < 4; k++) {
        if (region[i * 4 + k] !== 0) {
          if (first < 0) first = i * 4 + k;
          bytes++;
        }
      }
    }
    return first < 0 ? null : { address: this.bottom + first, bytes };
  }
}
