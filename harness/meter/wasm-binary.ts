/**
 * The few pieces of the WebAssembly binary format the metering pass needs:
 * LEB128 reading and writing, and a byte writer. Kept apart from the pass so
 * that the pass reads as the algorithm it is.
 */

export class Reader {
  constructor(
    readonly bytes: Uint8Array,
    public pos = 0,
  ) {}

  get done(): boolean {
    return this.pos >= this.bytes.length;
  }

  byte(): number {
    if (this.pos >= this.bytes.length) throw new WasmFormatError(`unexpected end of module at byte ${this.pos}`);
    return this.bytes[this.pos++]!;
  }

  /** An unsigned LEB128 of up to 32 bits. */
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 35) throw new WasmFormatError(`LEB128 too long at byte ${this.pos}`);
    }
  }

  /** Skips a LEB128 of any width (signed constants, 64-bit offsets): only its length matters. */
  skipLeb(): void {
    while (this.byte() & 0x80) {
      // continuation bit set: keep going
    }
  }

  skip(n: number): void {
    this.pos += n;
    if (this.pos > this.bytes.length) throw new WasmFormatError(`unexpected end of module at byte ${this.pos}`);
  }

  name(): string {
    const n = this.u32();
    const s = new TextDecoder().decode(this.bytes.subarray(this.pos, this.pos + n));
    this.skip(n);
    return s;
  }
}

export class Writer {
  private chunks: number[] = [];

  byte(b: number): this {
    this.chunks.push(b & 0xff);
    return this;
  }

  u32(v: number): this {
    let x = v >>> 0;
    do {
      let b = x & 0x7f;
      x >>>= 7;
      if (x !== 0) b |= 0x80;
      this.chunks.push(b);
    } while (x !== 0);
    return this;
  }

  /** A signed LEB128 of a 32-bit integer (i32.const). */
  s32(v: number): this {
    let x = v | 0;
    for (;;) {
      const b = x & 0x7f;
      x >>= 7;
      if ((x === 0 && (b & 0x40) === 0) || (x === -1 && (b & 0x40) !== 0)) {
        this.chunks.push(b);
        return this;
      }
      this.chunks.push(b | 0x80);
    }
  }

  bytes(b: Uint8Array | readonly number[]): this {
    for (const x of b) this.chunks.push(x);
    return this;
  }

  name(s: string): this {
    const b = new TextEncoder().encode(s);
    return this.u32(b.length).bytes(b);
  }

  get length(): number {
    return this.chunks.length;
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}

/** A module the pass cannot read: a kit bug or a toolchain feature the pass does not know. */
export class WasmFormatError extends Error {
  override name = 'WasmFormatError';
}
