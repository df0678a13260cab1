/**
 * The calls a C instance was asked, in order, for store-guard.ts to replay
 * on the guarded build when the heap's guard scan finds a write after a
 * call: a code (0 malloc, 1 free, 2 calloc, 3 realloc, 4 check) then its
 * arguments, as 32-bit words in one growing array.
 *
 * Every call since the instance started is kept: the guarded replay starts
 * from a fresh instance, so it needs them all to reach the state the write
 * happened in. Words, not a number[]: 4 bytes a value where the array takes
 * 8 (~10 MB per million operations, against ~24 MB), and no boxing of
 * sizes past 2^30. Kept only for wasm32 modules, the only ones the guarded
 * build exists for: an argument there is a 32-bit value (a size past a
 * 32-bit size_t wraps on its way into the module, so its low 32 bits are
 * what the module saw, and what the replay passes again).
 */
export const MALLOC = 0;
export const FREE = 1;
export const CALLOC = 2;
export const REALLOC = 3;
export const CHECK = 4;

export class CallLog {
  private words = new Uint32Array(1024);
  private n = 0;

  get length(): number {
    return this.n;
  }

  /** A call with one or two arguments (check: none, pass 0 and `arity` 0). */
  push(code: number, arity: 0 | 1 | 2, a: number, b: number): void {
    if (this.n + 3 > this.words.length) {
      const grown = new Uint32Array(this.words.length * 2);
      grown.set(this.words);
      this.words = grown;
    }
    const w = this.words;
    w[this.n++] = code;
    if (arity > 0) w[this.n++] = a;
    if (arity > 1) w[this.n++] = b;
  }

  /** Calls `visit` for each call, in order; values come back as unsigned 32-bit numbers. */
  replay(visit: (code: number, a: number, b: number) => void): void {
    const w = this.words;
    for (let k = 0; k < this.n; ) {
      const code = w[k++]!;
      const arity = code === FREE || code === MALLOC ? 1 : code === CHECK ? 0 : 2;
      const a = arity > 0 ? w[k++]! : 0;
      const b = arity > 1 ? w[k++]! : 0;
      visit(code, a, b);
    }
  }
}
