/**
 * The call log the guarded replay reads (harness/wasm/call-log.ts): every
 * call in order with its arguments, past its first growth, and values a
 * wasm32 module sees the same after the round trip (pointers and sizes
 * above 2^31, a size past a 32-bit size_t by its low 32 bits, as `v | 0`
 * passes it into the module).
 */
import { describe, expect, it } from 'vitest';
import { CALLOC, CallLog, CHECK, FREE, MALLOC, REALLOC } from '../../harness/wasm/call-log.ts';

describe('CallLog', () => {
  it('gives back every call in order, with its arguments, past its growth', () => {
    const log = new CallLog();
    const calls: [number, number, number][] = [];
    for (let i = 0; i < 5000; i++) {
      const code = i % 5;
      const arity = code === MALLOC || code === FREE ? 1 : code === CHECK ? 0 : 2;
      const a = arity > 0 ? i * 7 + 1 : 0;
      const b = arity > 1 ? i * 13 + 2 : 0;
      log.push(code, arity, a, b);
      calls.push([code, a, b]);
    }
    const seen: [number, number, number][] = [];
    log.replay((code, a, b) => seen.push([code, a, b]));
    expect(seen).toEqual(calls);
  });

  it('values above 2^31 and past 2^32 reach the module as they did the first time', () => {
    const log = new CallLog();
    const big = [0x8000_0010, 0xffff_fff0, 36_000_000_000, 2 ** 32 + 5];
    for (const v of big) log.push(REALLOC, 2, v, v);
    log.push(CALLOC, 2, 3, 2 ** 33 + 1);
    const seen: number[] = [];
    log.replay((_code, a, b) => seen.push(a | 0, b | 0));
    expect(seen).toEqual([...big.flatMap((v) => [v | 0, v | 0]), 3, (2 ** 33 + 1) | 0]);
  });
});
