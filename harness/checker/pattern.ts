/**
 * Payload patterns: every byte of a live block carries a value derived from
 * (block serial, offset). Filling and verifying go through native copies and
 * compares (TypedArray.set, Buffer.compare), so checking every byte stays
 * cheap next to the allocator's own work.
 */
import { mulberry32 } from '../util/rng.ts';

const PERIOD = 1 << 16;
/** Two periods back to back: any window of up to PERIOD bytes is contiguous. */
const TABLE = (() => {
  const rng = mulberry32(0x5eed_1234);
  const t = new Uint8Array(PERIOD * 2);
  for (let i = 0; i < PERIOD; i++) {
    let b = Math.floor(rng() * 256);
    if (b === 0) b = 0xa5; // no zero bytes: a zeroed block never looks intact
    t[i] = b;
    t[i + PERIOD] = b;
  }
  return t;
})();
const TABLE_BUF = Buffer.from(TABLE.buffer, TABLE.byteOffset, TABLE.byteLength);
const ZEROS = Buffer.alloc(PERIOD);

/** The pattern key of a block serial: where in the table its bytes start. */
export function patternKey(serial: number): number {
  return Math.imul(serial + 1, 0x9e3779b1) >>> 16;
}

/** The expected byte at `offset` of a block with `key`. */
export function patternByte(key: number, offset: number): number {
  return TABLE[(key + offset) % PERIOD]!;
}

/** Writes the pattern of `key` for offsets [from, from + n) into dst[0..n). */
export function fillPattern(dst: Uint8Array, key: number, from: number, n: number): void {
  let done = 0;
  while (done < n) {
    const start = (key + from + done) % PERIOD;
    const len = Math.min(PERIOD, n - done);
    dst.set(TABLE.subarray(start, start + len), done);
    done += len;
  }
}

function asBuffer(u: Uint8Array): Buffer {
  return Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}

/** Offset (relative to `from`) of the first byte of src[0..n) that differs from the pattern, or -1. */
export function findPatternMismatch(src: Uint8Array, key: number, from: number, n: number): number {
  const buf = asBuffer(src);
  let done = 0;
  while (done < n) {
    const start = (key + from + done) % PERIOD;
    const len = Math.min(PERIOD, n - done);
    if (buf.compare(TABLE_BUF, start, start + len, done, done + len) !== 0) {
      for (let i = 0; i < len; i++) if (src[done + i] !== TABLE[start + i]) return done + i;
    }
    done += len;
  }
  return -1;
}

/** Offset of the first non-zero byte of src, or -1. */
export function findNonZero(src: Uint8Array): number {
  const buf = asBuffer(src);
  for (let done = 0; done < src.length; done += PERIOD) {
    const len = Math.min(PERIOD, src.length - done);
    if (buf.compare(ZEROS, 0, len, done, done + len) !== 0) {
      for (let i = 0; i < len; i++) if (src[done + i] !== 0) return done + i;
    }
  }
  return -1;
}
