/** The capture buffer behind the C code's printf: bytes decoded as UTF-8 into the kit's one output cap (util/output-cap.ts). */
import { OutputCap } from '../util/output-cap.ts';

export const DEFAULT_OUTPUT_CAP = 64 * 1024;

export class OutputCapture {
  private readonly buffer: OutputCap;
  private readonly decoder = new TextDecoder();

  constructor(cap = DEFAULT_OUTPUT_CAP) {
    this.buffer = new OutputCap(cap);
  }

  write(bytes: Uint8Array): void {
    // A character is at most 4 bytes: what lies past that is never decoded, only counted (one byte, one character, as for ASCII).
    const decodable = Math.min(bytes.length, this.buffer.room * 4);
    if (decodable > 0) this.buffer.write(this.decoder.decode(bytes.subarray(0, decodable), { stream: true }));
    if (decodable < bytes.length) this.buffer.skip(bytes.length - decodable);
  }

  /** Everything since the last take, with the truncation marker when some was dropped. */
  take(): string {
    return this.buffer.take();
  }
}
